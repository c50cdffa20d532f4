package io.unwind.domain.chain;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** A 32-byte transaction (or block) hash, lower-case with its 0x prefix. */
public record TxHash(String hex) {
    private static final Pattern HEX64 = Pattern.compile("0x[0-9a-f]{64}");

    public TxHash {
        Objects.requireNonNull(hex, "hash");
        hex = hex.toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(hex).matches()) throw new IllegalArgumentException("not a 32-byte hash: " + hex);
    }

    public static TxHash of(String hex) {
        return new TxHash(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
