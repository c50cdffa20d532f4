package io.unwind.tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one call into the manager did to each transaction, in order; and, if the chain could not be read, why the rest
 * was left for the next head.
 */
public record TxReport(long head, List<Change> changes, Optional<String> problem) {
    public TxReport {
        changes = List.copyOf(changes);
    }

    public enum Kind {
        /** A node took it. */
        SENT("sent"),
        /** The same signed bytes went out again (recovery, a re-org, a nonce gap, a capped bump). */
        RESENT("sent again, the same signed bytes"),
        /** The sender cannot pay for it: held, to be sent again unchanged. */
        HELD("held: the key cannot pay for it"),
        /** No node answered usefully: to be sent again unchanged. */
        RETRY("not taken by any node yet, to be sent again"),
        /** Refused for good before any node took it; its nonce is free. */
        REJECTED("refused for good by the nodes, never sent"),
        /** A replacement with higher fees at the same nonce. */
        REPLACED("replaced with higher fees"),
        /** Mined (see the journal for success or revert). */
        CONFIRMED("mined"),
        /** Its block left the chain. */
        REORGED("re-orged out"),
        /** A cancellation in place of an action no longer needed after a re-org. */
        CANCEL_SENT("cancelled at its nonce"),
        FINALIZED("final"),
        /** Another transaction took its nonce: given up. */
        NONCE_TAKEN("given up: another transaction took its nonce"),
        /** Journaled but never signed, and no longer wanted when its turn came: given up, nothing sent. */
        ABANDONED("abandoned, never signed or sent");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** What happened, in words for operators. */
        public String describe() {
            return words;
        }
    }

    public record Change(long txId, Kind kind, String detail) {
        /** "mined: attempt 1 in block 12", for operators. */
        public String describe() {
            return kind.describe() + (detail.isBlank() ? "" : ": " + detail);
        }
    }

    public List<Change> of(long txId) {
        return changes.stream().filter(c -> c.txId() == txId).toList();
    }

    public boolean has(long txId, Kind kind) {
        return changes.stream().anyMatch(c -> c.txId() == txId && c.kind() == kind);
    }

    static final class Builder {
        private final long head;
        private final List<Change> changes = new ArrayList<>();
        private String problem;

        Builder(long head) {
            this.head = head;
        }

        List<Change> of(long txId) {
            return changes.stream().filter(c -> c.txId() == txId).toList();
        }

        Builder add(long txId, Kind kind, String detail) {
            changes.add(new Change(txId, kind, detail));
            return this;
        }

        Builder problem(String p) {
            this.problem = p;
            return this;
        }

        TxReport build() {
            return new TxReport(head, changes, Optional.ofNullable(problem));
        }
    }
}
