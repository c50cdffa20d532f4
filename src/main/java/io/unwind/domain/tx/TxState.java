package io.unwind.domain.tx;

import java.util.EnumSet;
import java.util.Set;

/**
 * The persisted states of a transaction the keeper signs (Chainlink's transaction manager): queued, being sent, in the
 * pool, mined, final; or refused for good. Moves between them only by a {@link Transition}.
 */
public enum TxState {
    /** Journaled, no nonce yet: waits until no other transaction of its sender is in progress. */
    UNSTARTED("queued"),
    /** Nonce assigned and the signed attempt journaled; no node has accepted it yet. At most one per sender. */
    IN_PROGRESS("signed, being sent"),
    /** Accepted by at least one node (or known to have got out); not mined yet, or mined and re-orged away. */
    UNCONFIRMED("sent, not mined yet"),
    /** One of its attempts is mined (successfully or reverted: both consume the nonce). */
    CONFIRMED("mined"),
    /** Mined in a block at or below the finalized block, with a matching hash. Terminal. */
    FINALIZED("final"),
    /** Never sent (a node refused it for good), or its nonce was used by another transaction. Terminal. */
    FATAL_ERROR("failed, not sent");

    private final String words;

    TxState(String words) {
        this.words = words;
    }

    /** The state in words, for people ("sent, not mined yet"). */
    public String describe() {
        return words;
    }

    private static final Set<TxState> IN_FLIGHT = EnumSet.of(UNSTARTED, IN_PROGRESS, UNCONFIRMED);

    /** Not yet mined: the action it carries may still happen. */
    public boolean inFlight() {
        return IN_FLIGHT.contains(this);
    }

    public boolean terminal() {
        return this == FINALIZED || this == FATAL_ERROR;
    }

    /** The state {@code t} leads to from here; refuses a move the lifecycle does not allow. */
    public TxState apply(Transition t) {
        if (!t.allowedFrom(this)) throw new IllegalTransitionException(this, t);
        return t.to();
    }
}
