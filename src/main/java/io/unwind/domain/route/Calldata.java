package io.unwind.domain.route;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** Bytes to send to a router, immutable (copied in and out), compared by content. */
public record Calldata(byte[] bytes) {
    public Calldata {
        Objects.requireNonNull(bytes, "bytes");
        bytes = bytes.clone();
    }

    public static Calldata ofHex(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        return new Calldata(HexFormat.of().parseHex(h));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public Selector selector() {
        return Selector.of(bytes);
    }

    public String hex() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calldata c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String h = hex();
        return h.length() > 74 ? h.substring(0, 74) + "…(" + bytes.length + " bytes)" : h;
    }
}
