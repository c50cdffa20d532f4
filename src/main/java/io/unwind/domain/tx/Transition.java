package io.unwind.domain.tx;

import java.util.EnumSet;
import java.util.Set;

/** The moves between {@link TxState}s, each allowed only from the states listed. */
public enum Transition {
    /** Nonce assigned and the first attempt signed and journaled, in one database transaction. */
    START(TxState.IN_PROGRESS, TxState.UNSTARTED),
    /**
     * A node accepted an attempt, or answered in a way that means it is already out ("already known", "nonce too low").
     */
    SENT(TxState.UNCONFIRMED, TxState.IN_PROGRESS),
    /** A node refused the transaction for good before any node accepted it; its nonce is free again. */
    REJECTED(TxState.FATAL_ERROR, TxState.UNSTARTED, TxState.IN_PROGRESS),
    /** A receipt for one of its attempts. */
    MINED(TxState.CONFIRMED, TxState.UNCONFIRMED),
    /** Its receipt disappeared or its block is no longer on the chain. */
    REORGED(TxState.UNCONFIRMED, TxState.CONFIRMED),
    /** Its block is at or below the finalized block and still on the chain. */
    FINALIZED(TxState.FINALIZED, TxState.CONFIRMED),
    /**
     * The sender's nonce moved past it and none of its attempts is mined: a transaction it did not sign took the nonce.
     * The one way out of {@link TxState#UNCONFIRMED} into {@link TxState#FATAL_ERROR} (Chainlink marks such
     * transactions errored too, after "confirmed_missing_receipt").
     */
    NONCE_TAKEN(TxState.FATAL_ERROR, TxState.UNCONFIRMED),
    /**
     * In a cluster, the node that signed it stopped and none of its attempts was mined long after: another node gives
     * it up so that the vault can be acted on again (the vault's own trigger check keeps a late inclusion harmless).
     */
    ABANDONED(TxState.FATAL_ERROR, TxState.UNSTARTED, TxState.IN_PROGRESS, TxState.UNCONFIRMED);

    private final TxState to;
    private final Set<TxState> from;

    Transition(TxState to, TxState first, TxState... rest) {
        this.to = to;
        this.from = EnumSet.of(first, rest);
    }

    public TxState to() {
        return to;
    }

    public boolean allowedFrom(TxState state) {
        return from.contains(state);
    }

    public Set<TxState> from() {
        return EnumSet.copyOf(from);
    }
}
