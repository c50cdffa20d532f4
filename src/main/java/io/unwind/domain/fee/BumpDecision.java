package io.unwind.domain.fee;

import java.util.Objects;

/** What to do with a transaction that is stuck in the pool. */
public sealed interface BumpDecision {

    /** Send a replacement (same nonce) with {@code fees}; both fields beat the old ones by geth's +10%. */
    record Replace(Eip1559Fees fees, boolean capped, String why) implements BumpDecision {
        public Replace {
            Objects.requireNonNull(fees, "fees");
            Objects.requireNonNull(why, "why");
        }
    }

    /** The cap leaves no room for a valid replacement: re-broadcast the signed transaction unchanged. */
    record ResendUnchanged(Eip1559Fees current, String why) implements BumpDecision {
        public ResendUnchanged {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(why, "why");
        }
    }
}
