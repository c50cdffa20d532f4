package io.unwind.engine;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.tx.TxKind;
import java.math.BigInteger;
import java.util.Optional;

/** The engine's view of the transaction layer: one in-flight action per vault, idempotent submission. */
public interface TxSubmitter {

    /** A description of the action in flight (not yet settled) for {@code vault}, if any. */
    Optional<String> inFlight(Address vault);

    /**
     * As {@link #inFlight(Address)}, for an engine that read the vault at block {@code head}: an action mined in a
     * later block counts as in flight too, since what it did is not in what the engine read (receipts are not pinned to
     * a head: a slow tick can learn of a block its reads do not see).
     */
    default Optional<String> inFlight(Address vault, long head) {
        return inFlight(vault);
    }

    /**
     * Signs, journals and broadcasts. A repeated {@code idempotencyKey} returns the first submission's hash and sends
     * nothing new.
     */
    Submission submit(Action action);

    /**
     * What became of the action sent under {@code idempotencyKey}: empty while it is in flight (or unknown here); once
     * settled, whether it was mined and whether it reverted, with the journal's words for why.
     */
    default Optional<Settled> settled(String idempotencyKey) {
        return Optional.empty();
    }

    /** A settled action: mined (successfully or reverted), or given up without being mined. */
    record Settled(boolean mined, boolean reverted, String detail, long minedBlock) {
        /** Without the block it was mined in (-1). */
        public Settled(boolean mined, boolean reverted, String detail) {
            this(mined, reverted, detail, -1);
        }
    }

    /** Called on every new head: confirmations, replacements of stuck transactions, re-orgs. */
    void onHead(BlockRef head);

    /**
     * A vault call to send. {@code kind} says what it is for; {@code summary} a one-line description; the urgency
     * prices replacements if the transaction gets stuck; {@code plannedAt} the head it was planned and simulated at (if
     * it waits to be signed, it is checked again first).
     */
    record Action(
            String idempotencyKey,
            Address vault,
            Address to,
            byte[] data,
            BigInteger gasLimit,
            Eip1559Fees fees,
            TxKind kind,
            String summary,
            Urgency urgency,
            long plannedAt) {
        /** A call to the vault itself. */
        Action(
                String idempotencyKey,
                Address vault,
                byte[] data,
                BigInteger gasLimit,
                Eip1559Fees fees,
                TxKind kind,
                String summary,
                Urgency urgency,
                long plannedAt) {
            this(idempotencyKey, vault, vault, data, gasLimit, fees, kind, summary, urgency, plannedAt);
        }
    }

    /**
     * The outcome of {@link #submit}, case for case as the transaction layer answered: journaled now, journaled before
     * under the same key, or refused because the vault has a transaction in flight.
     */
    sealed interface Submission {
        /** What the journal says of it, for people ("tx #12 (UNCONFIRMED)"). */
        String detail();

        /** In the journal: the hash of its first attempt once signed. */
        sealed interface Journaled extends Submission {
            Optional<TxHash> hash();
        }

        /** Journaled and sent as far as possible now. */
        record Accepted(Optional<TxHash> hash, String detail) implements Journaled {}

        /** The idempotency key was used before: the transaction made for it; nothing new was sent. */
        record Duplicate(Optional<TxHash> hash, String detail) implements Journaled {}

        /** Refused: the vault has another transaction in flight. */
        record VaultBusy(String detail) implements Submission {}
    }
}
