package io.unwind.domain.chain;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** A 20-byte account or contract address, held lower-case with its 0x prefix. */
public record Address(String hex) implements Comparable<Address> {
    private static final Pattern HEX40 = Pattern.compile("0x[0-9a-f]{40}");
    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    public Address {
        Objects.requireNonNull(hex, "address");
        hex = hex.toLowerCase(Locale.ROOT);
        if (!hex.startsWith("0x")) hex = "0x" + hex;
        if (!HEX40.matcher(hex).matches()) {
            throw new IllegalArgumentException("not an address (want 0x and 40 hex digits): " + abbreviate(hex));
        }
    }

    public static Address of(String hex) {
        return new Address(hex);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** The address without its 0x prefix, 40 lower-case hex digits. */
    public String digits() {
        return hex.substring(2);
    }

    public String shortForm() {
        return hex.substring(0, 6) + "…" + hex.substring(38);
    }

    @Override
    public int compareTo(Address o) {
        return hex.compareTo(o.hex);
    }

    @Override
    public String toString() {
        return hex;
    }

    private static String abbreviate(String s) {
        return s.length() > 50 ? s.substring(0, 50) + "…" : s;
    }
}
