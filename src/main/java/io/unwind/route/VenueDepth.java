package io.unwind.route;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Token;
import io.unwind.domain.route.Quote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much collateral the venues absorb before their average execution price is a given drop under the oracle price:
 * for each venue and each drop, the largest amount {@code A} with {@code out(A) × 1e36 >= A × price × (1 − drop)},
 * found by a bounded search over the venue's own quotes (at most {@link #QUOTES_PER_LEVEL} per venue and drop, plus one
 * first quote per venue to see whether it has a pool at all).
 *
 * <p>The depth is the <b>sum</b> over the venues: in a market-wide cascade, liquidators sell on every pool at once, so
 * what the market absorbs is what all of them do. (The sum over-states a little, as arbitrage between pools moves each
 * other's price; the best single venue would under-state far more.) Venues should be on-chain pools, one per source (a
 * Uniswap V3 source with a single fee tier, the V2 router): aggregators route through the same pools, so adding them
 * would count that depth twice.
 *
 * <p>Each search starts from the depth found at the drop before (a deeper drop absorbs at least as much) and from a
 * hint (the collateral liquidatable within the deepest drop is the amount that matters); when the venue absorbs even 64
 * times the hint, that is what is reported: the depth is then a lower bound, far past any cascade.
 */
public final class VenueDepth {
    /** Quotes per venue and per drop, at most. */
    public static final int QUOTES_PER_LEVEL = 12;

    private static final BigInteger BPS = BigInteger.valueOf(10_000);
    private static final BigInteger SCALE = BigInteger.TEN.pow(36);
    private static final int MAX_GROWTH = 64;

    private final List<RouteSource> venues;

    public VenueDepth(List<RouteSource> venues) {
        this.venues = List.copyOf(venues);
    }

    /** The result: collateral absorbed per drop (bps), summed over the venues, and what it cost. */
    public record Depth(Map<Integer, BigInteger> byDropBps, int quotes, List<String> failed) {}

    /**
     * @param price the oracle price (1e36 scale)
     * @param dropsBps the drops to measure, in bps of {@code price}
     * @param hint an amount of collateral worth measuring around (positive)
     */
    public Depth measure(
            Token collateral, Token loan, BigInteger price, List<Integer> dropsBps, BigInteger hint, BlockRef at) {
        if (price.signum() <= 0 || hint.signum() <= 0) throw new IllegalArgumentException("price and hint must be > 0");
        List<Integer> drops = dropsBps.stream().sorted().distinct().toList();
        TreeMap<Integer, BigInteger> total = new TreeMap<>();
        for (int d : drops) total.put(d, BigInteger.ZERO);
        int[] quotes = {0};
        List<String> failed = new ArrayList<>();
        QuoteRequest base = new QuoteRequest(
                Address.ZERO, collateral, loan, hint, at.hash(), at.timestamp().plus(Duration.ofMinutes(5)), 1);
        for (RouteSource venue : venues) {
            try {
                BigInteger small = hint.divide(BigInteger.valueOf(1_000)).max(BigInteger.ONE);
                quotes[0]++;
                if (out(venue, base.withAmount(small)).signum() == 0) continue; // no pool, no liquidity
                BigInteger lo = BigInteger.ZERO;
                for (int d : drops) {
                    lo = search(venue, base, price, d, lo, hint, quotes);
                    total.merge(d, lo, BigInteger::add);
                }
            } catch (SourceException | IllegalStateException e) {
                failed.add(venue.name() + ": " + e.getMessage());
            }
        }
        return new Depth(total, quotes[0], failed);
    }

    /** The largest amount at or above {@code lo} that {@code venue} takes within {@code dropBps}, to the budget. */
    private static BigInteger search(
            RouteSource venue,
            QuoteRequest base,
            BigInteger price,
            int dropBps,
            BigInteger lo,
            BigInteger hint,
            int[] quotes) {
        int budget = QUOTES_PER_LEVEL;
        BigInteger hi = null; // the smallest amount known to go past the drop
        BigInteger probe = lo.signum() == 0 ? hint : lo.multiply(BigInteger.TWO);
        BigInteger cap = hint.multiply(BigInteger.valueOf(MAX_GROWTH)).max(lo);
        // Grow until an amount goes past the drop (or the cap), then halve the gap.
        while (budget > 0 && hi == null) {
            budget--;
            quotes[0]++;
            if (within(venue, base, price, dropBps, probe)) {
                lo = probe;
                if (probe.compareTo(cap) >= 0) return lo;
                probe = probe.multiply(BigInteger.valueOf(4)).min(cap);
            } else {
                hi = probe;
            }
        }
        while (budget > 0 && hi != null && hi.subtract(lo).compareTo(BigInteger.ONE) > 0) {
            budget--;
            quotes[0]++;
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (within(venue, base, price, dropBps, mid)) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /** Whether selling {@code amount} gets an average price at or above {@code price × (1 − drop)}. */
    private static boolean within(
            RouteSource venue, QuoteRequest base, BigInteger price, int dropBps, BigInteger amount) {
        BigInteger out = out(venue, base.withAmount(amount));
        return out.multiply(SCALE)
                        .multiply(BPS)
                        .compareTo(amount.multiply(price).multiply(BPS.subtract(BigInteger.valueOf(dropBps))))
                >= 0;
    }

    private static BigInteger out(RouteSource venue, QuoteRequest r) {
        return venue.quote(r).stream()
                .map(Quote::expectedOut)
                .max(BigInteger::compareTo)
                .orElse(BigInteger.ZERO);
    }
}
