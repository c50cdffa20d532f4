package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.money.Token;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing what people type (percentages, token amounts, durations) and formatting what they read. */
final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");
    private static final BigDecimal BPS_PER_PERCENT = BigDecimal.valueOf(100);

    private Units() {}

    /**
     * "80%", "80", "0.5%" or "8000bps" as basis points. A percentage with more than two decimals cannot be
     * represented in basis points and is refused rather than rounded.
     */
    static int bps(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        BigDecimal bps;
        try {
            if (t.endsWith("bps")) {
                bps = new BigDecimal(t.substring(0, t.length() - 3).trim());
            } else {
                bps = new BigDecimal(t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t).multiply(BPS_PER_PERCENT);
            }
        } catch (NumberFormatException e) {
            throw new UserError(ExitCodes.USAGE, option + ": '" + text + "' is not a percentage (write it like 80%, 0.5% or 8000bps)");
        }
        if (bps.signum() < 0) throw new UserError(ExitCodes.USAGE, option + ": must not be negative, got " + text);
        try {
            return bps.intValueExact();
        } catch (ArithmeticException e) {
            throw new UserError(ExitCodes.USAGE, option + ": " + text + " is finer than a basis point (0.01%) or too large");
        }
    }

    /** Basis points as a percentage: 8000 -> "80%", 50 -> "0.5%". */
    static String percent(int bps) {
        return BigDecimal.valueOf(bps).divide(BPS_PER_PERCENT).stripTrailingZeros().toPlainString() + "%";
    }

    /** A WAD ratio as a percentage with two decimals ("inf" for worthless collateral). */
    static String percent(BigInteger wad) {
        return Ltv.percent(wad);
    }

    /** "10m", "2h", "1d", "45s" or a bare number of seconds. */
    static Duration duration(String text, String option) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new UserError(ExitCodes.USAGE, option + ": '" + text + "' is not a duration (write it like 90s, 10m, 2h or 1d)");
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            case "d" -> Duration.ofDays(v);
            default -> Duration.ofSeconds(v);
        };
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s == 0) return "0s";
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3_600 == 0) return s / 3_600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }

    /** A human amount of {@code token} ("1.5"), exactly in base units; more decimals than the token has is refused. */
    static TokenAmount amount(Token token, String text, String option) {
        try {
            TokenAmount a = token.parse(text.replace("_", "").replace(",", ""));
            if (a.isZero()) throw new UserError(ExitCodes.USAGE, option + ": the amount must be more than 0");
            return a;
        } catch (NumberFormatException e) {
            throw new UserError(ExitCodes.USAGE, option + ": '" + text + "' is not an amount of " + token.symbol() + " (write it like 1.5)");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    /** An amount for people: exact, with thousands separators ("22,500.5 USDC"). */
    static String amount(TokenAmount a) {
        return decimal(a.toDecimal()) + " " + a.token().symbol();
    }

    /** An amount for a table: at most {@code decimals} decimals, rounded down, with separators. */
    static String amount(TokenAmount a, int decimals) {
        BigDecimal d = a.toDecimal();
        BigDecimal shown = d.setScale(Math.min(d.scale(), decimals), RoundingMode.DOWN);
        return (shown.compareTo(d) == 0 ? "" : "~") + decimal(shown) + " " + a.token().symbol();
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
    static Map<String, Object> json(TokenAmount a) {
        return Map.of("units", a.units().toString(), "decimals", a.token().decimals(), "symbol", a.token().symbol(),
                "token", a.token().address().hex(), "text", a.toDecimal().stripTrailingZeros().toPlainString());
    }

    /** A WAD ratio for --json as a decimal fraction string ("0.75" for 75%). */
    static String fraction(BigInteger wad) {
        if (wad.equals(Ltv.UINT256_MAX)) return "inf";
        return new BigDecimal(wad).movePointLeft(18).stripTrailingZeros().toPlainString();
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
