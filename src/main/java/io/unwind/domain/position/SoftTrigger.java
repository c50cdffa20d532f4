package io.unwind.domain.position;

import io.unwind.domain.money.Bps;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner's optional early trigger, as the vault stores it (UnwindVault.setSoftTrigger). From
 * {@code softTriggerLtvBps} up to the policy's trigger a keeper may act early, when it judges the probability of
 * liquidation before its exit completes above {@code maxLiquidationProbabilityBps}; the vault cannot check that
 * probability, so it enforces only the soft trigger and that such an action ends at or under the target (a complete
 * deleverage).
 *
 * @param softTriggerLtvBps LTV from which an early, complete action is allowed; 0 = off
 * @param maxLiquidationProbabilityBps the keeper's probability bound, of one (basis points); 0 when off
 */
public record SoftTrigger(int softTriggerLtvBps, int maxLiquidationProbabilityBps) {

    /** No soft trigger: keepers act only at the policy's trigger. */
    public static final SoftTrigger NONE = new SoftTrigger(0, 0);

    public boolean isSet() {
        return softTriggerLtvBps != 0;
    }

    public Bps soft() {
        return Bps.of(softTriggerLtvBps);
    }

    /** The probability bound as a fraction in [0, 1]. */
    public double maxProbability() {
        return maxLiquidationProbabilityBps / (double) Policy.BPS;
    }

    /**
     * What the vault would refuse in this soft trigger next to {@code p} (empty when it is valid): the same rules as
     * UnwindVault.setSoftTrigger, said for people.
     */
    public List<String> problemsWith(Policy p) {
        List<String> problems = new ArrayList<>();
        if (!isSet()) {
            if (maxLiquidationProbabilityBps != 0) {
                problems.add("a probability without a soft trigger: set both, or neither (--off)");
            }
            return problems;
        }
        if (!p.isSet()) {
            problems.add("the vault has no policy yet: set one before a soft trigger");
            return problems;
        }
        if (softTriggerLtvBps <= p.targetLtvBps() || softTriggerLtvBps >= p.triggerLtvBps()) {
            problems.add("the soft trigger (" + soft().percent() + ") must be above the target ("
                    + p.target().percent() + ") and below the trigger ("
                    + p.trigger().percent() + ")");
        }
        if (maxLiquidationProbabilityBps <= 0 || maxLiquidationProbabilityBps >= Policy.BPS) {
            problems.add("the max liquidation probability must be more than 0% and less than 100%");
        }
        return problems;
    }

    /** Whether the vault would accept this soft trigger next to {@code p}. */
    public boolean validFor(Policy p) {
        return problemsWith(p).isEmpty();
    }
}
