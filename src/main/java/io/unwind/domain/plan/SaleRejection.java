package io.unwind.domain.plan;

/** Why a quoted sale cannot be sent. */
public enum SaleRejection {
    /** The vault is not (or no longer) over its trigger, or has no debt or price: nothing to sell for. */
    NOT_TRIGGERED,
    /** The quote sells more than the vault's per-call cap ({@code SellTooLarge}). */
    ABOVE_MAX_SELL,
    /** The route's expected proceeds are under the vault's oracle floor: it loses more than the owner allows. */
    BELOW_ORACLE_FLOOR,
    /** The route's own minimum is under the oracle floor: it could fill below it and make the vault revert. */
    MIN_OUT_BELOW_FLOOR,
    /** The quote sells more than the rate limit's window has left ({@code WindowExceeded}). */
    ABOVE_WINDOW_LEFT,
    /**
     * The route's guaranteed proceeds are under the vault's equity floor (value sold - equity allowance) and no smaller
     * sale at its rate fits ({@code InsufficientProceeds}).
     */
    BELOW_EQUITY_FLOOR,
    /** The sale would not lower LTV, or not by 0.1 point without ending under the trigger ({@code NotDeleveraged}). */
    WOULD_NOT_DELEVERAGE,
    /** The sale would leave LTV under target - band ({@code Oversold}). */
    WOULD_OVERSELL,
    /** The sale would leave LTV above target + tolerance although it was meant to reach the target. */
    OFF_TARGET,
    /** After the allowed re-sizes the quote still sells more than needed plus the tolerance. */
    SIZE_NOT_CONVERGED
}
