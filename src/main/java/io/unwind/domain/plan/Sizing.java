package io.unwind.domain.plan;

import io.unwind.domain.money.TokenAmount;
import java.util.Objects;
import java.util.Optional;

/** Whether a sale reaches the target in one go or is one chunk of several. */
public sealed interface Sizing {

    /** In words, for logs and the journal: "to the target", "one chunk of about 3 (capped by route liquidity; ...)". */
    String describe();

    /** The sale brings LTV to the target. */
    record Full() implements Sizing {
        @Override
        public String describe() {
            return "to the target";
        }
    }

    /**
     * The sale is capped and leaves LTV above the target (but lower than before). The contract starts no cooldown after
     * an action that leaves LTV at or above the trigger, so the next chunk can follow at once; once LTV is under the
     * trigger the contract refuses further actions ({@code BelowTrigger}) until it rises again.
     *
     * @param cappedBy what capped it
     * @param estimatedChunks how many sales of this kind, this one included, reach the target or end under the trigger,
     *     assuming the same rate (at most {@link #MAX_ESTIMATE}, meaning "that many or more")
     * @param collateralNeeded the collateral one sale without the per-call, window or liquidity cap would need, if one
     *     sale within the equity bound could reach the target at all
     */
    record Chunk(Cap cappedBy, int estimatedChunks, Optional<TokenAmount> collateralNeeded) implements Sizing {
        public static final int MAX_ESTIMATE = 100;

        public Chunk {
            Objects.requireNonNull(cappedBy, "cappedBy");
            Objects.requireNonNull(collateralNeeded, "collateralNeeded");
            if (estimatedChunks < 1) throw new IllegalArgumentException("estimatedChunks must be >= 1");
        }

        @Override
        public String describe() {
            String of = estimatedChunks >= MAX_ESTIMATE ? MAX_ESTIMATE + " or more" : "about " + estimatedChunks;
            return "one chunk of " + of + ", capped by " + cappedBy.describe()
                    + collateralNeeded
                            .map(n -> "; one sale to the target would need " + n.display())
                            .orElse("");
        }
    }

    /** What limited a chunk. */
    enum Cap {
        /** The vault's per-call cap, {@code maxSellBps} of its collateral. */
        MAX_SELL_BPS("the vault's per-call cap"),
        /** Route liquidity: the market or the quotes would not take more within the slippage. */
        LIQUIDITY("route liquidity"),
        /** The owner's rate limit: what the guard's sell window has left ({@code WindowExceeded} above it). */
        RATE_LIMIT("the vault's rate limit"),
        /**
         * The equity bound: a larger sale at the expected rate would lose more of the owner's equity at the oracle
         * price than the allowance, so its proceeds could not cover the vault's equity floor with the fee.
         */
        EQUITY_BOUND("the vault's equity bound");

        private final String words;

        Cap(String words) {
            this.words = words;
        }

        public String describe() {
            return words;
        }
    }
}
