package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.money.Bps;
import io.unwind.domain.money.Token;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.time.DurationText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing what people type (percentages, token amounts, durations) and formatting what they read. */
final class Units {
    private static final BigDecimal BPS_PER_PERCENT = BigDecimal.valueOf(100);
    /**
     * A plain decimal as people type it: digits, at most one '.', and '_' between digits (no sign, exponent or ',').
     */
    private static final Pattern NUMBER = Pattern.compile("\\d+(_\\d+)*(\\.\\d+(_\\d+)*)?");

    /** Help text for an AMOUNT parameter (picocli formats descriptions, so no bare '%' here). */
    static final String AMOUNT_SYNTAX =
            " Written with '.' for decimals and '_' to group digits (0.5, 21_000.5); ',' is refused.";

    private Units() {}

    /**
     * "80%", "0.5%" or "8000bps" as basis points. A bare number is refused: "0.8" could be the fraction (80%) or 0.8%,
     * and guessing wrong sets a policy far from the one meant. A percentage with more than two decimals cannot be
     * represented in basis points and is refused rather than rounded.
     */
    static int bps(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        boolean isBps = t.endsWith("bps");
        boolean isPercent = t.endsWith("%");
        String number = isBps
                ? t.substring(0, t.length() - 3).trim()
                : isPercent ? t.substring(0, t.length() - 1).trim() : t;
        if (number.startsWith("-") && NUMBER.matcher(number.substring(1)).matches()) {
            throw new UserError(ExitCodes.USAGE, option + ": must not be negative, got " + text);
        }
        if (!NUMBER.matcher(number).matches()) {
            throw new UserError(
                    ExitCodes.USAGE,
                    option + ": '" + text + "' is not a percentage (write it like 80%, 0.5% or 8000bps)");
        }
        BigDecimal n = new BigDecimal(number.replace("_", ""));
        if (!isBps && !isPercent) {
            String plain = n.stripTrailingZeros().toPlainString();
            String readings = n.compareTo(BigDecimal.ONE) <= 0
                    ? n.movePointRight(2).stripTrailingZeros().toPlainString() + "% (if you meant the fraction " + plain
                            + ") or " + plain + "%"
                    : plain + "% (or " + plain + "bps if you meant basis points)";
            throw new UserError(ExitCodes.USAGE, option + ": '" + text.trim() + "' has no unit: write " + readings);
        }
        BigDecimal bps = isBps ? n : n.multiply(BPS_PER_PERCENT);
        try {
            return bps.intValueExact();
        } catch (ArithmeticException e) {
            throw new UserError(
                    ExitCodes.USAGE, option + ": " + text + " is finer than a basis point (0.01%) or too large");
        }
    }

    /** Basis points as a percentage: 8000 -> "80%", 50 -> "0.5%". */
    static String percent(int bps) {
        return Bps.of(bps).percent();
    }

    /** A fraction as a whole percentage: 0.834 -> "83%" (volatilities). */
    static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** A long hex id shortened for a table: "0x1234...cdef". */
    static String shortHex(String hex) {
        return hex.length() <= 14 ? hex : hex.substring(0, 6) + "..." + hex.substring(hex.length() - 4);
    }

    /** A WAD ratio as a percentage with two decimals ("inf" for worthless collateral). */
    static String percent(BigInteger wad) {
        return Ltv.percent(wad);
    }

    /** A duration as config files write it ({@link DurationText}: "10m", "2h", "1d", "45s" or bare seconds). */
    static Duration duration(String text, String option) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    static String duration(Duration d) {
        return DurationText.format(d);
    }

    /**
     * A human amount of {@code token} ("1.5", "21_000"), exactly in base units; more decimals than the token has is
     * refused. Only digits, one '.' and '_' between digits are read: a ',' is refused rather than dropped, because
     * "0,5" read as 5 sends ten times what was meant.
     */
    static TokenAmount amount(Token token, String text, String option) {
        String t = text.trim();
        checkAmountSyntax(t, option, " of " + token.symbol());
        try {
            TokenAmount a = token.parse(t.replace("_", ""));
            if (a.isZero()) throw new UserError(ExitCodes.USAGE, option + ": the amount must be more than 0");
            return a;
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    /**
     * The rules an amount's text follows whatever its token: no ',' (it is refused rather than dropped), digits, one
     * '.' and '_' between digits. {@code ofWhat} names the token where it is known (" of USDC").
     */
    static void checkAmountSyntax(String t, String option, String ofWhat) {
        if (t.indexOf(',') >= 0) {
            throw new UserError(
                    ExitCodes.USAGE,
                    option + ": '" + t + "': write " + withoutCommas(t)
                            + "; ',' is not a decimal separator here (use '.' for decimals and '_' to group digits, as in 21_000.5)");
        }
        if (!NUMBER.matcher(t).matches()) {
            throw new UserError(
                    ExitCodes.USAGE,
                    option + ": '" + t + "' is not an amount" + ofWhat
                            + " (write it like 1.5 or 21_000: digits, one '.', and '_' to group digits)");
        }
    }

    /**
     * What a number written with commas most likely means: "0,5" -> "0.5"; "21,000.5" -> "21_000.5"; "1,000" -> "1.000
     * or 1_000".
     */
    private static String withoutCommas(String t) {
        long commas = t.chars().filter(c -> c == ',').count();
        if (commas > 1 || t.contains(".")) return t.replace(',', '_');
        String decimal = t.replace(',', '.');
        return t.matches("\\d{1,3},\\d{3}") ? decimal + " or " + t.replace(',', '_') : decimal;
    }

    /** An amount for people: exact, with thousands separators ("22,500.5 USDC"). */
    static String amount(TokenAmount a) {
        return decimal(a.toDecimal()) + " " + a.token().symbol();
    }

    /** An amount for a table: at most {@code decimals} decimals, rounded down, with separators. */
    static String amount(TokenAmount a, int decimals) {
        BigDecimal d = a.toDecimal();
        BigDecimal shown = d.setScale(Math.min(d.scale(), decimals), RoundingMode.DOWN);
        return (shown.compareTo(d) == 0 ? "" : "~") + decimal(shown) + " "
                + a.token().symbol();
    }

    /**
     * A number for a sentence: at most {@code significant} significant digits, never cutting the integer part, rounded
     * down and marked "~" when cut (3.682960640869974873 -> "~3.68296", 0.259332 -> "0.259332").
     */
    static String approx(BigDecimal d, int significant) {
        BigDecimal s = d.stripTrailingZeros();
        int integerDigits = s.precision() - s.scale();
        BigDecimal shown = s.setScale(Math.max(0, Math.min(s.scale(), significant - integerDigits)), RoundingMode.DOWN);
        return (shown.compareTo(s) == 0 ? "" : "~") + decimal(shown);
    }

    /** Wei as ether for people, to a sentence's precision ("~9,999.99 ETH"). */
    static String etherApprox(Wei w) {
        return approx(new BigDecimal(w.value()).movePointLeft(18), JournalText.SIGNIFICANT) + " ETH";
    }

    static String decimal(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() < 0) s = s.setScale(0);
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setMaximumFractionDigits(s.scale());
        f.setMinimumFractionDigits(s.scale());
        f.setRoundingMode(RoundingMode.UNNECESSARY);
        return f.format(s);
    }

    /** Wei as ether for people, exact ("1.25 ETH"). */
    static String ether(Wei w) {
        return decimal(new BigDecimal(w.value()).movePointLeft(18)) + " ETH";
    }

    static String gwei(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(9).stripTrailingZeros().toPlainString() + " gwei";
    }

    /** An amount for --json: base units as a string (exact in every JSON reader), with the token. */
    static JsonShapes.Amount json(TokenAmount a) {
        return JsonShapes.Amount.of(a);
    }

    /** A WAD ratio for --json as a decimal fraction string ("0.75" for 75%). */
    static String fraction(BigInteger wad) {
        if (wad.equals(Ltv.UINT256_MAX)) return "inf";
        return Ltv.fraction(wad).stripTrailingZeros().toPlainString();
    }

    static String ago(java.time.Instant then, java.time.Instant now) {
        if (then.getEpochSecond() == 0) return "never";
        long s = Math.max(0, now.getEpochSecond() - then.getEpochSecond());
        if (s < 120) return s + "s ago";
        if (s < 7_200) return s / 60 + "m ago";
        if (s < 172_800) return s / 3_600 + "h ago";
        return s / 86_400 + "d ago";
    }
}
