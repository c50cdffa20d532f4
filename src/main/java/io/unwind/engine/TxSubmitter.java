package io.unwind.engine;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.risk.Urgency;
import java.math.BigInteger;
import java.util.Optional;

/** The engine's view of the transaction layer: one in-flight action per vault, idempotent submission. */
public interface TxSubmitter {

    /** A description of the action in flight (not yet settled) for {@code vault}, if any. */
    Optional<String> inFlight(Address vault);

    /**
     * Signs, journals and broadcasts. A repeated {@code idempotencyKey} returns the first submission's hash and
     * sends nothing new.
     */
    Submission submit(Action action);

    /** Called on every new head: confirmations, replacements of stuck transactions, re-orgs. */
    void onHead(BlockRef head);

    /**
     * A vault call to send. {@code kind} is "sell" or "topup"; {@code summary} a one-line description; the
     * urgency prices replacements if the transaction gets stuck; {@code plannedAt} the head it was planned and
     * simulated at (if it waits to be signed, it is checked again first).
     */
    record Action(String idempotencyKey, Address vault, byte[] data, BigInteger gasLimit, Eip1559Fees fees, String kind,
            String summary, Urgency urgency, long plannedAt) {}

    /**
     * The outcome of {@link #submit}: journaled (with the hash of its first attempt once signed), or refused and
     * why.
     */
    record Submission(boolean accepted, Optional<TxHash> hash, String detail) {
        public static Submission accepted(Optional<TxHash> h, String detail) {
            return new Submission(true, h, detail);
        }

        public static Submission refused(String why) {
            return new Submission(false, Optional.empty(), why);
        }
    }
}
