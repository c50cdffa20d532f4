package io.unwind.tx;

import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.store.AttemptPurpose;
import io.unwind.store.SignedAttempt;
import io.unwind.store.TxRecord;
import java.math.BigInteger;
import org.web3j.crypto.RawTransaction;

/** Builds and signs an EIP-1559 attempt of a journaled transaction: its action, or a cancellation at its nonce. */
final class AttemptSigner {
    private final Signer signer;
    private final long chainId;

    AttemptSigner(Signer signer, long chainId) {
        this.signer = signer;
        this.chainId = chainId;
    }

    SignedAttempt sign(TxRecord tx, long nonce, AttemptPurpose purpose, Eip1559Fees fees, long gasLimit) {
        boolean action = purpose == AttemptPurpose.ACTION;
        RawTransaction raw = RawTransaction.createTransaction(
                chainId,
                BigInteger.valueOf(nonce),
                BigInteger.valueOf(gasLimit),
                action ? tx.to().hex() : tx.from().hex(),
                action ? tx.value().value() : BigInteger.ZERO,
                action ? tx.dataHex() : "0x",
                fees.maxPriorityFeePerGas().value(),
                fees.maxFeePerGas().value());
        SignedTx signed = signer.sign(raw);
        return new SignedAttempt(purpose, signed.hash(), signed.hex(), fees, gasLimit);
    }
}
