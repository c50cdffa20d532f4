package io.unwind.route.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.AggregatorException.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reading vendor JSON strictly. Amounts and gas come as strings or as JSON numbers depending on the vendor and the
 * field (1inch's {@code tx.gas} is a number, 0x's {@code transaction.gas} a string): both are accepted, anything else
 * (a fraction, a negative, an exponent that is not a whole number, text) is a malformed answer.
 */
final class Json {
    private final String source;

    Json(String source) {
        this.source = source;
    }

    JsonNode req(JsonNode n, String path) {
        JsonNode v = n.at(pointer(path));
        if (v.isMissingNode() || v.isNull()) throw malformed("has no " + path);
        return v;
    }

    Optional<JsonNode> opt(JsonNode n, String path) {
        JsonNode v = n.at(pointer(path));
        return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    /** A non-negative whole number, written as a JSON number or a decimal string. */
    BigInteger amount(JsonNode n, String path) {
        return amount(req(n, path), path, true);
    }

    Optional<BigInteger> optAmount(JsonNode n, String path) {
        return opt(n, path).map(v -> amount(v, path, true));
    }

    private BigInteger amount(JsonNode v, String path, boolean strict) {
        try {
            BigInteger x;
            if (v.isIntegralNumber()) {
                x = v.bigIntegerValue();
            } else if (v.isNumber()) {
                x = v.decimalValue().toBigIntegerExact(); // 2.1e6 is fine, 2.5 is not
            } else if (v.isTextual() && v.asText().trim().matches("[0-9]{1,78}")) {
                x = new BigInteger(v.asText().trim());
            } else {
                throw malformed(path + " is not a whole number: " + HttpJson.excerpt(v.toString()));
            }
            if (x.signum() < 0) throw malformed(path + " is negative");
            if (x.bitLength() > 256) throw malformed(path + " does not fit in uint256");
            return x;
        } catch (ArithmeticException e) {
            throw malformed(path + " is not a whole number: " + v);
        }
    }

    /** Gas units: a whole number (string or number) that fits a long; absent or zero means "no estimate". */
    long gas(JsonNode n, String path) {
        return opt(n, path)
                .map(v -> amount(v, path, true))
                .map(g -> g.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue())
                .orElse(0L);
    }

    Address address(JsonNode n, String path) {
        String t = text(n, path);
        try {
            return Address.of(t);
        } catch (IllegalArgumentException e) {
            throw malformed(path + " is not an address: " + HttpJson.excerpt(t));
        }
    }

    byte[] hex(JsonNode n, String path) {
        String t = text(n, path);
        String h = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        try {
            return HexFormat.of().parseHex(h);
        } catch (IllegalArgumentException e) {
            throw malformed(path + " is not hex data");
        }
    }

    String text(JsonNode n, String path) {
        JsonNode v = req(n, path);
        if (!v.isValueNode()) throw malformed(path + " is not a value");
        return v.asText();
    }

    Optional<String> optText(JsonNode n, String path) {
        return opt(n, path).filter(JsonNode::isValueNode).map(JsonNode::asText);
    }

    /** A percentage from basis points, as vendors that take percent want it: 20 bps is "0.2", 100 bps "1". */
    static BigDecimal percent(int bps) {
        return BigDecimal.valueOf(bps).movePointLeft(2).stripTrailingZeros();
    }

    AggregatorException malformed(String what) {
        return new AggregatorException(source, Kind.MALFORMED, "the answer " + what);
    }

    private static String pointer(String dotted) {
        StringBuilder p = new StringBuilder();
        for (String part : dotted.split("\\.")) {
            int b = part.indexOf('[');
            if (b < 0) {
                p.append('/').append(part);
            } else {
                p.append('/').append(part, 0, b).append('/').append(part, b + 1, part.length() - 1);
            }
        }
        return p.toString();
    }
}
