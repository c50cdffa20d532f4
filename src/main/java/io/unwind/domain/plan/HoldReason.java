package io.unwind.domain.plan;

/** Why the planner decided to do nothing for a vault this time. */
public enum HoldReason {
    /** The vault owes nothing. */
    NO_DEBT(false, "no debt"),
    /** The oracle did not answer (price 0: stale or broken feed). LTV is unknown; someone should look. */
    PRICE_UNKNOWN(true, "price unknown"),
    /** The owner never set a policy; the contract refuses keeper calls. */
    POLICY_NOT_SET(false, "no policy set"),
    /** LTV is under the trigger; the contract would revert {@code BelowTrigger}. */
    HEALTHY_BELOW_TRIGGER(false, "under the trigger"),
    /** Over the trigger, but the owner paused keepers. */
    PAUSED(true, "paused by the owner"),
    /** Over the trigger, but this keeper is not on the vault's allow-list. */
    NOT_ALLOWED_KEEPER(true, "keeper not allowed"),
    /**
     * Over the trigger, but the vault's price guard refuses keepers (feed stale, failed, or far from the market's
     * oracle): any action would revert {@code PriceStale}, {@code PriceFeedFailed} or {@code PriceDeviation}.
     */
    PRICE_STALE(true, "price stale"),
    /**
     * Over the trigger, but the owner's rate limit has nothing left to sell in the current window (or too little for a
     * sale that helps), and the reserve cannot help: the keeper cannot act until the window ends.
     */
    RATE_LIMITED(true, "rate limited"),
    /** Over the trigger, but the last action's cooldown has not ended; see {@link Decision.Hold#until()}. */
    COOLING_DOWN(false, "cooling down"),
    /**
     * The repayment needed is smaller than the minimum worth a transaction: its fee would not pay for the keeper's gas.
     */
    BELOW_MINIMUM_SIZE(false, "too small to pay for its gas"),
    /** No whole-unit amount lands LTV inside [target - band, target + tolerance] (a tiny position or band). */
    BAND_UNREACHABLE(true, "target band unreachable"),
    /**
     * A sale cannot lower LTV enough (the sale's effective rate is at or below the LTV, the collateral is worthless, a
     * sale the equity bound allows would not lower LTV by the vault's minimum of 0.1 point) and the reserve is empty.
     */
    SALE_CANNOT_HELP(true, "a sale cannot help");

    private final boolean needsAttention;
    private final String words;

    HoldReason(boolean needsAttention, String words) {
        this.needsAttention = needsAttention;
        this.words = words;
    }

    /** The reason in lower-case words, for logs, the status page and the attention metric's label. */
    public String describe() {
        return words;
    }

    /** True when a person should be told: the position may be at risk and the keeper cannot act. */
    public boolean needsAttention() {
        return needsAttention;
    }
}
