package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import java.util.Objects;
import java.util.Optional;

/** What to pay for gas now, and why; or why not to send at all. */
public sealed interface FeeDecision {

    /** The market's fees, as computed before any cap. */
    Eip1559Fees market();

    /** The cap that applied. */
    Wei cap();

    String why();

    /** The fees to send with, if the transaction should be sent now. */
    Optional<Eip1559Fees> toSend();

    /** The market's fees are within the cap. */
    record AtMarket(Eip1559Fees fees, Wei cap, String why) implements FeeDecision {
        public AtMarket {
            Objects.requireNonNull(fees, "fees");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public Eip1559Fees market() {
            return fees;
        }

        @Override
        public Optional<Eip1559Fees> toSend() {
            return Optional.of(fees);
        }
    }

    /**
     * The market's fee cap (2 x base fee + tip) is over the cap, but the next block's base fee plus the tip is not: the
     * transaction is sent with its fee cap lowered to the cap and can be included now, with less headroom for rising
     * base fees.
     */
    record Capped(Eip1559Fees fees, Eip1559Fees market, Wei cap, String why) implements FeeDecision {
        public Capped {
            Objects.requireNonNull(fees, "fees");
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public Optional<Eip1559Fees> toSend() {
            return Optional.of(fees);
        }
    }

    /**
     * Urgent, and even the next block's base fee plus the tip is over the cap: send at the cap anyway; the transaction
     * waits in the pool until the base fee falls (or the fee is bumped under a higher cap).
     */
    record PayAtCap(Eip1559Fees fees, Eip1559Fees market, Wei cap, String why) implements FeeDecision {
        public PayAtCap {
            Objects.requireNonNull(fees, "fees");
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public Optional<Eip1559Fees> toSend() {
            return Optional.of(fees);
        }
    }

    /** Not urgent, and the market is over the cap: do not send; decide again at the next block. */
    record Wait(Eip1559Fees market, Wei cap, String why) implements FeeDecision {
        public Wait {
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public Optional<Eip1559Fees> toSend() {
            return Optional.empty();
        }
    }
}
