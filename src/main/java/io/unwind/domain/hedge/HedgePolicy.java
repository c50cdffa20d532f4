package io.unwind.domain.hedge;

import java.time.Duration;
import java.util.Objects;

/**
 * The owner's rules for a hedge, as UnwindHedge stores and enforces them (see docs/HEDGE.md): LTVs and shares in basis
 * points.
 *
 * @param maxRatioBps the largest short, as a share of the vault's collateral (10,000 = fully hedged)
 * @param openLtvBps the vault's LTV at or over which a keeper may open or grow the short
 * @param triggerLtvBps the hedge's own trigger: at or over it the keeper buys back part of the short
 * @param targetLtvBps the hedge's LTV an open must end at or under, and a buy-back aims at
 * @param maxSlippageBps the least a hedge swap may bring under its oracle value
 * @param maxFeeBps the keeper's largest fee, as a share of a swap's oracle value
 * @param cooldown the time between two keeper opens or buy-backs (a buy-back at the trigger excepted)
 */
public record HedgePolicy(
        int maxRatioBps,
        int openLtvBps,
        int triggerLtvBps,
        int targetLtvBps,
        int maxSlippageBps,
        int maxFeeBps,
        Duration cooldown) {

    public HedgePolicy {
        Objects.requireNonNull(cooldown, "cooldown");
        if (maxRatioBps < 0 || maxRatioBps > 10_000) throw new IllegalArgumentException("maxRatioBps: " + maxRatioBps);
        if (targetLtvBps <= 0 || targetLtvBps >= triggerLtvBps)
            throw new IllegalArgumentException("the hedge's target must be > 0 and under its trigger");
        if (maxSlippageBps < 0 || maxSlippageBps > 1_000)
            throw new IllegalArgumentException("maxSlippageBps: " + maxSlippageBps);
        if (maxFeeBps < 0 || maxFeeBps > 100) throw new IllegalArgumentException("maxFeeBps: " + maxFeeBps);
    }
}
