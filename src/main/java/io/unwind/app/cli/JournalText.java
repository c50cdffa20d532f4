package io.unwind.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptPurpose;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the journal holds, for people: the keeper writes its plan and errors as text built partly from Java values (a
 * sale's sizing as {@code Chunk[cappedBy=LIQUIDITY, ..., collateralNeeded=Optional[4.8 WETH]]}, amounts to 18 decimals,
 * an endpoint's answer as {@code EndpointAnswer[...]}); this says them in words at display time, without changing what
 * is stored.
 */
final class JournalText {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Digits a sentence shows of an amount (3.68296 WETH, 9,115.32 USDC), as the demo's timeline does. */
    static final int SIGNIFICANT = 6;

    private static final Pattern FULL = Pattern.compile(" Full\\[\\]");
    private static final Pattern CHUNK = Pattern.compile(
            " Chunk\\[cappedBy=(\\w+), estimatedChunks=(\\d+), collateralNeeded=(?:Optional\\[([^\\]]*)\\]|Optional\\.empty)\\]");
    private static final Pattern AMOUNT = Pattern.compile("(?<![\\w.])(\\d+(?:\\.\\d+)?) ([A-Z][A-Za-z0-9]*)\\b");
    private static final Pattern ANSWER =
            Pattern.compile("EndpointAnswer\\[endpoint=(.*?), answer=(.*?), cls=\\w+, detail=(.*)\\]");
    private static final int MAX_ESTIMATE = 100; // Sizing.Chunk.MAX_ESTIMATE: "that many or more"

    private JournalText() {}

    /** The journaled plan in words; amounts to {@link #SIGNIFICANT} digits ("~" where cut) unless {@code exact}. */
    static String plan(String summary, boolean exact) {
        String s = FULL.matcher(summary).replaceAll(", in one sale");
        Matcher m = CHUNK.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find())
            m.appendReplacement(
                    b, Matcher.quoteReplacement(chunk(m.group(1), Integer.parseInt(m.group(2)), m.group(3))));
        m.appendTail(b);
        s = b.toString().replace("LTV inf ", "LTV infinite (collateral worth nothing) ");
        return exact ? s : amounts(s);
    }

    private static String chunk(String cappedBy, int estimate, String needed) {
        String by = switch (cappedBy) {
            case "MAX_SELL_BPS" -> "the policy's max sell";
            case "LIQUIDITY" -> "route liquidity";
            default -> cappedBy.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
        String sales = estimate >= MAX_ESTIMATE
                ? MAX_ESTIMATE + " or more sales of this size"
                : estimate == 1
                        ? "this sale alone should end it under the trigger"
                        : "about " + estimate + " sales of this size";
        return ", part of a larger sale: " + by + " capped it ("
                + (needed == null ? "" : "one sale to the target would need " + needed + "; ") + sales + ")";
    }

    /** Every "123.456789 SYMBOL" in a sentence, to {@link #SIGNIFICANT} digits with separators. */
    static String amounts(String text) {
        Matcher m = AMOUNT.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find())
            m.appendReplacement(
                    b,
                    Matcher.quoteReplacement(Units.approx(new BigDecimal(m.group(1)), SIGNIFICANT) + " " + m.group(2)));
        m.appendTail(b);
        return b.toString();
    }

    /** A journaled error in words: an endpoint's refusal as "devnet refused it: nonce too low". */
    static String error(String error) {
        Matcher m = ANSWER.matcher(error);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String detail = m.group(3).isBlank() ? "" : ": " + m.group(3);
            m.appendReplacement(b, Matcher.quoteReplacement("node " + m.group(1) + " answered " + m.group(2) + detail));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Each endpoint's answer to a broadcast (stored as JSON text), as JSON for --json; the text itself if it is not
     * JSON.
     */
    static Object endpointsJson(String stored) {
        try {
            return JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            return stored;
        }
    }

    /** Each endpoint's answer in words: "devnet accepted; backup unreachable (connection refused)". */
    static String endpoints(String stored) {
        Object parsed = endpointsJson(stored);
        if (!(parsed instanceof JsonNode n) || !n.isArray()) return stored;
        List<String> out = new ArrayList<>();
        for (JsonNode a : n) {
            String answer = a.path("answer").asText("?");
            String detail = a.path("detail").asText("");
            out.add(a.path("endpoint").asText("?") + " " + answer
                    + (answer.equals("accepted") || detail.isBlank() ? "" : " (" + detail + ")"));
        }
        return String.join("; ", out);
    }

    static String kind(TxKind k) {
        return switch (k) {
            case DELEVERAGE -> "deleverage";
            case TOP_UP -> "top-up";
            case MOVE -> "move";
            case HEDGE -> "hedge";
            case UNHEDGE -> "unhedge";
            case HEDGE_RELEASE -> "hedge-release";
            case OTHER -> "other";
        };
    }

    /** The state's name (what --state takes) and what it means. */
    static String state(TxState s) {
        return s + " ("
                + switch (s) {
                    case UNSTARTED -> "waiting for its turn, not signed yet";
                    case IN_PROGRESS -> "signed, no node has accepted it yet";
                    case UNCONFIRMED -> "in the pool, not mined yet";
                    case CONFIRMED -> "mined, not final yet";
                    case FINALIZED -> "mined and final";
                    case FATAL_ERROR -> "failed for good";
                }
                + ")";
    }

    static String purpose(AttemptPurpose p) {
        return switch (p) {
            case ACTION -> "the action";
            case CANCEL -> "a cancellation";
        };
    }

    static String outcome(SendOutcome o) {
        return switch (o) {
            case SENT -> "sent";
            case UNDERPRICED -> "underpriced: fees to be bumped";
            case HELD -> "held: the keeper cannot pay for it yet";
            case FATAL -> "refused by the nodes";
            case RETRY -> "no node took it: to be sent again";
        };
    }

    static String fees(Eip1559Fees f) {
        return "max fee " + Units.gwei(f.maxFeePerGas().value()) + ", tip "
                + Units.gwei(f.maxPriorityFeePerGas().value());
    }
}
