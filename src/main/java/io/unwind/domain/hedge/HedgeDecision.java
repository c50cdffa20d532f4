package io.unwind.domain.hedge;

import java.math.BigInteger;

/** What the keeper does with a hedge at a block, in a venue's neutral terms, each with the reason in words. */
public sealed interface HedgeDecision {

    String why();

    /** Short {@code assets} more of C (sold for L, which joins the margin). */
    record Open(BigInteger assets, String why) implements HedgeDecision {}

    /**
     * Buy back {@code assets} of C with margin and repay the short by it; {@code whole}: the whole short (the engine
     * spends enough margin to cover it); {@code atTrigger}: the hedge is at its own trigger (no cooldown holds it).
     */
    record BuyBack(BigInteger assets, boolean whole, boolean atTrigger, String why) implements HedgeDecision {}

    /** Send {@code amount} of L, out of the hedge's profit, to the vault, whose reserve then tops it up. */
    record Release(BigInteger amount, String why) implements HedgeDecision {}

    /** Nothing to do. */
    record Hold(String why) implements HedgeDecision {}
}
