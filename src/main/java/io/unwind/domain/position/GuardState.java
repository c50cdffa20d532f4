package io.unwind.domain.position;

import java.time.Instant;
import java.util.Objects;

/**
 * A vault's guard and where it stands at one block, as the lens read it.
 *
 * @param guard the owner's guard
 * @param windowSellLeftBps share of the collateral keepers may still sell in the current window (10,000 without one)
 * @param priceStatus the price guard's verdict now
 * @param feedUpdatedAt the feed's last update ({@link Instant#EPOCH} without a feed or when it could not be read)
 */
public record GuardState(Guard guard, int windowSellLeftBps, PriceStatus priceStatus, Instant feedUpdatedAt) {

    /** A vault without a guard. */
    public static final GuardState NONE = new GuardState(Guard.NONE, Policy.BPS, PriceStatus.OK, Instant.EPOCH);

    public GuardState {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(priceStatus, "priceStatus");
        Objects.requireNonNull(feedUpdatedAt, "feedUpdatedAt");
    }
}
