package io.unwind.tx;

import io.unwind.domain.chain.TxHash;
import java.util.HexFormat;

/** A signed transaction: the bytes to broadcast and their hash (keccak256 of the bytes), computed locally. */
public record SignedTx(byte[] raw, TxHash hash) {
    public SignedTx {
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public String hex() {
        return "0x" + HexFormat.of().formatHex(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTx s && java.util.Arrays.equals(raw, s.raw) && hash.equals(s.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTx[" + hash + ", " + raw.length + " bytes]";
    }
}
