package io.unwind.store;

import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import java.util.Objects;

/** A freshly signed attempt, to journal before it is broadcast. */
public record SignedAttempt(AttemptPurpose purpose, TxHash hash, String signedRawHex, Eip1559Fees fees, long gasLimit) {
    public SignedAttempt {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(signedRawHex, "signedRawHex");
        Objects.requireNonNull(fees, "fees");
        if (!signedRawHex.startsWith("0x")) throw new IllegalArgumentException("signedRawHex must start with 0x");
    }
}
