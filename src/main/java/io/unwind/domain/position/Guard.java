package io.unwind.domain.position;

import io.unwind.domain.chain.Address;
import java.time.Duration;
import java.util.Objects;

/**
 * The owner's limits beyond the policy, as the vault stores and enforces them on keeper actions (never on the owner's
 * own calls): a fresh-price guard and a rate limit on sales.
 *
 * @param priceFeed Chainlink-style feed quoting the collateral in the loan token; {@link Address#ZERO} = no price guard
 * @param maxPriceAge keepers are refused while the feed's last update is older than this
 * @param maxPriceDeviationBps keepers are refused while the market oracle and the feed differ by more than this (of the
 *     feed's price); 0 = no deviation check
 * @param sellWindow the rate limit's window; zero = no rate limit
 * @param maxWindowSellBps most collateral sold per window, as the sum of each sale's share of the collateral then
 */
public record Guard(
        Address priceFeed, Duration maxPriceAge, int maxPriceDeviationBps, Duration sellWindow, int maxWindowSellBps) {

    /** No feed and no rate limit: what a vault has until its owner sets a guard. */
    public static final Guard NONE = new Guard(Address.ZERO, Duration.ZERO, 0, Duration.ZERO, 0);
    /** The vault's caps (UnwindVault.MAX_PRICE_AGE, MAX_SELL_WINDOW). */
    public static final Duration MAX_PRICE_AGE = Duration.ofDays(7);

    public static final Duration MAX_SELL_WINDOW = Duration.ofDays(30);

    public Guard {
        Objects.requireNonNull(priceFeed, "priceFeed");
        Objects.requireNonNull(maxPriceAge, "maxPriceAge");
        Objects.requireNonNull(sellWindow, "sellWindow");
    }

    public boolean hasFeed() {
        return !priceFeed.isZero();
    }

    public boolean hasWindow() {
        return !sellWindow.isZero() && maxWindowSellBps > 0;
    }

    /** Why the vault would refuse this guard, in the contract's words, or empty when it is valid. */
    public java.util.Optional<String> problem() {
        if (hasFeed()) {
            if (maxPriceAge.isZero() || maxPriceAge.isNegative() || maxPriceAge.compareTo(MAX_PRICE_AGE) > 0) {
                return java.util.Optional.of("max price age must be in (0, 7 days]");
            }
            if (maxPriceDeviationBps < 0 || maxPriceDeviationBps > Policy.BPS) {
                return java.util.Optional.of("max price deviation must be <= 100%");
            }
        } else if (!maxPriceAge.isZero() || maxPriceDeviationBps != 0) {
            return java.util.Optional.of("price limits need a feed");
        }
        if (sellWindow.isNegative() || sellWindow.compareTo(MAX_SELL_WINDOW) > 0) {
            return java.util.Optional.of("sell window must be <= 30 days");
        }
        if (sellWindow.isZero() != (maxWindowSellBps == 0)) {
            return java.util.Optional.of("sell window and its share go together");
        }
        if (maxWindowSellBps < 0 || maxWindowSellBps > Policy.BPS) {
            return java.util.Optional.of("window share must be <= 100%");
        }
        return java.util.Optional.empty();
    }
}
