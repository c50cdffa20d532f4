package io.unwind.chain.vault;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.HexFormat;

/** Reading 32-byte ABI words at a byte offset, for the hand-decoded answers of this package. */
final class Words {
    static final int WORD = 32;

    private Words() {}

    /** The unsigned integer in the word at byte {@code at}. */
    static BigInteger uint(byte[] d, int at) {
        return new BigInteger(1, d, at, WORD);
    }

    /** The address in the low 20 bytes of the word at byte {@code at}. */
    static Address address(byte[] d, int at) {
        return Address.of(HexFormat.of().formatHex(d, at + 12, at + WORD));
    }
}
