package io.unwind.domain.plan;

/** Why the planner decided to do nothing for a vault this time. */
public enum HoldReason {
    /** The vault owes nothing. */
    NO_DEBT(false),
    /** The oracle did not answer (price 0: stale or broken feed). LTV is unknown; someone should look. */
    PRICE_UNKNOWN(true),
    /** The owner never set a policy; the contract refuses keeper calls. */
    POLICY_NOT_SET(false),
    /** LTV is under the trigger; the contract would revert {@code BelowTrigger}. */
    HEALTHY_BELOW_TRIGGER(false),
    /** Over the trigger, but the owner paused keepers. */
    PAUSED(true),
    /** Over the trigger, but this keeper is not on the vault's allow-list. */
    NOT_ALLOWED_KEEPER(true),
    /** Over the trigger, but the last action's cooldown has not ended; see {@link Decision.Hold#until()}. */
    COOLING_DOWN(false),
    /** The repayment needed is smaller than the minimum worth a transaction. */
    BELOW_MINIMUM_SIZE(false),
    /** No whole-unit amount lands LTV inside [target - band, target + tolerance] (a tiny position or band). */
    BAND_UNREACHABLE(true),
    /** A sale cannot lower LTV (the sale's effective rate is at or below the LTV, or the collateral is worthless)
     * and the reserve is empty. */
    SALE_CANNOT_HELP(true);

    private final boolean needsAttention;

    HoldReason(boolean needsAttention) {
        this.needsAttention = needsAttention;
    }

    /** True when a person should be told: the position may be at risk and the keeper cannot act. */
    public boolean needsAttention() {
        return needsAttention;
    }
}
