package io.unwind.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A breaker per venue, not for the whole keeper. A revert costs the gas of a whole sale for nothing. One revert is
 * usually a race lost once (the pool moved by an arbitrage in the same block): the next plan, made from the new state
 * with a new quote, is not the same sale, and the venue stays open. A second revert in a row opens the breaker: the
 * venue is not routed through for 2, then 4, 8 ... (at most {@link #MAX_BLOCKS}) blocks, doubling with each further
 * revert; the next plans take another venue, or wait. A sale through it that succeeds closes it again.
 */
final class VenueBackoff {
    static final int MAX_BLOCKS = 64;

    private record State(int strikes, long until) {}

    private final Map<String, State> venues = new ConcurrentHashMap<>();

    /** A sale through {@code venue} was mined and reverted at {@code block}. */
    void reverted(String venue, long block) {
        venues.compute(venue, (v, s) -> {
            int strikes = s == null ? 1 : Math.min(s.strikes() + 1, 7);
            return new State(strikes, strikes == 1 ? block : block + Math.min(1L << (strikes - 1), MAX_BLOCKS));
        });
    }

    /** A sale through {@code venue} succeeded. */
    void succeeded(String venue) {
        venues.remove(venue);
    }

    /** Whether sales may go through {@code venue} at {@code block}. */
    boolean open(String venue, long block) {
        State s = venues.get(venue);
        return s == null || block >= s.until();
    }

    /** Until which block {@code venue} is backed off (0 when it never was). */
    long until(String venue) {
        State s = venues.get(venue);
        return s == null ? 0 : s.until();
    }
}
