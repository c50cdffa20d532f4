package io.unwind.domain.route;

import io.unwind.domain.plan.SaleRejection;

/** Why a route candidate was dropped. */
public enum RejectReason {
    /** Its proceeds are under the vault's oracle floor or equity floor (or its own minimum is). */
    BELOW_FLOOR("below the oracle floor"),
    /** The exact vault call reverted in simulation. */
    SIMULATION_REVERTED("the vault call reverts"),
    /** The simulation succeeded with figures that contradict the order (less than required, or less repaid). */
    SIMULATION_MISMATCH("simulation contradicts the quote"),
    /** The (router, selector) pair is not allow-listed, or the router is a target the vault refuses. */
    TARGET_NOT_ALLOWED("route not allowed"),
    /** The proceeds would go somewhere other than the vault. */
    WRONG_RECIPIENT("wrong recipient"),
    /** It sells or buys the wrong token. */
    WRONG_TOKEN("wrong token"),
    /** It sells a different amount than the order. */
    WRONG_AMOUNT("wrong amount"),
    /** The sale it implies breaks the vault's rules (size cap, no-oversell band, LTV must fall) or the target. */
    WRONG_SIZE("wrong size"),
    /** The source did not answer in time. */
    TIMEOUT("no answer in time"),
    /** The source answered with an error, no route, or a rate limit; or its circuit breaker is open. */
    SOURCE_ERROR("source error");

    private final String words;

    RejectReason(String words) {
        this.words = words;
    }

    /** The reason in lower-case words, for logs and the status page (metric labels keep the name). */
    public String describe() {
        return words;
    }

    /** The route-level reason for a sale the sizer refused. */
    public static RejectReason of(SaleRejection r) {
        return switch (r) {
            // A smaller sale can fit under the equity floor, as under the oracle floor: both ask for a smaller chunk.
            case BELOW_ORACLE_FLOOR, MIN_OUT_BELOW_FLOOR, BELOW_EQUITY_FLOOR -> BELOW_FLOOR;
            case NOT_TRIGGERED,
                    ABOVE_MAX_SELL,
                    ABOVE_WINDOW_LEFT,
                    WOULD_NOT_DELEVERAGE,
                    WOULD_OVERSELL,
                    OFF_TARGET,
                    SIZE_NOT_CONVERGED -> WRONG_SIZE;
        };
    }
}
