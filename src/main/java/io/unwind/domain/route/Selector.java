package io.unwind.domain.route;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** A 4-byte function selector, lower-case hex with 0x. The vault allow-lists (router, selector) pairs. */
public record Selector(String hex) {
    private static final Pattern HEX8 = Pattern.compile("0x[0-9a-f]{8}");

    /** What the vault reads from calldata shorter than 4 bytes. */
    public static final Selector ZERO = new Selector("0x00000000");

    public Selector {
        Objects.requireNonNull(hex, "selector");
        hex = hex.toLowerCase(Locale.ROOT);
        if (!HEX8.matcher(hex).matches()) throw new IllegalArgumentException("not a selector: " + hex);
    }

    public static Selector of(String hex) {
        return new Selector(hex);
    }

    /** The first four bytes of {@code calldata}, or {@link #ZERO} if it is shorter, as the vault reads it. */
    public static Selector of(byte[] calldata) {
        if (calldata.length < 4) return ZERO;
        return new Selector("0x" + HexFormat.of().formatHex(calldata, 0, 4));
    }

    @Override
    public String toString() {
        return hex;
    }
}
