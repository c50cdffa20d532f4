package io.unwind.domain.position;

import io.unwind.domain.money.Bps;

/**
 * The owner's optional soft trigger, stored in the vault beside the policy: between it and the hard trigger a keeper
 * may act early, but only with a complete deleverage to the target, and (by the owner's instruction to honest keepers,
 * which the chain cannot check) only when its predicted probability of liquidation exceeds
 * {@code maxLiquidationProbabilityBps}.
 *
 * @param softTriggerLtvBps LTV from which early actions are allowed; 0 = none
 * @param maxLiquidationProbabilityBps the probability of liquidation before the exit completes above which the owner
 *     wants the keeper to act early, in basis points
 */
public record SoftTrigger(int softTriggerLtvBps, int maxLiquidationProbabilityBps) {
    public static final SoftTrigger NONE = new SoftTrigger(0, 0);

    public boolean isSet() {
        return softTriggerLtvBps != 0;
    }

    public Bps soft() {
        return Bps.of(softTriggerLtvBps);
    }

    /** The owner's probability threshold as a fraction in [0, 1]. */
    public double maxProbability() {
        return maxLiquidationProbabilityBps / 10_000.0;
    }
}
