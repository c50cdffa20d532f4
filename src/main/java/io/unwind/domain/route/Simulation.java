package io.unwind.domain.route;

import java.math.BigInteger;
import java.util.Objects;

/** The outcome of simulating the exact vault call ({@code eth_call} at the block the decision was made at). */
public sealed interface Simulation {

    /** The call succeeded and returned {@code (repaid, proceeds)}; {@code gasUsed} from estimating it. */
    record Succeeded(BigInteger repaid, BigInteger proceeds, long gasUsed) implements Simulation {
        public Succeeded {
            Objects.requireNonNull(repaid, "repaid");
            Objects.requireNonNull(proceeds, "proceeds");
            if (repaid.signum() < 0 || proceeds.signum() < 0 || gasUsed < 0) {
                throw new IllegalArgumentException("negative simulation figure");
            }
        }
    }

    /** The call reverted; {@code reason} is the decoded error (for example {@code InsufficientProceeds(...)}). */
    record Reverted(String reason) implements Simulation {
        public Reverted {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
