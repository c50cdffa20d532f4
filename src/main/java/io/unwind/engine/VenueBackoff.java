package io.unwind.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A breaker per venue, not for the whole keeper: a venue whose sale was mined and reverted is not routed through for 2,
 * 4, 8 ... (at most {@link #MAX_BLOCKS}) blocks, doubling with each revert in a row; a sale through it that succeeds
 * closes it again. A revert costs the gas of a whole sale for nothing, and the same sale sent again unchanged would
 * most likely revert again: the next plan takes another venue, or waits.
 */
final class VenueBackoff {
    static final int MAX_BLOCKS = 64;

    private record State(int strikes, long until) {}

    private final Map<String, State> venues = new ConcurrentHashMap<>();

    /** A sale through {@code venue} was mined and reverted at {@code block}. */
    void reverted(String venue, long block) {
        venues.compute(venue, (v, s) -> {
            int strikes = s == null ? 1 : Math.min(s.strikes() + 1, 6);
            return new State(strikes, block + Math.min(1L << strikes, MAX_BLOCKS));
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

    /** Until which block {@code venue} is backed off (0 when open). */
    long until(String venue) {
        State s = venues.get(venue);
        return s == null ? 0 : s.until();
    }
}
