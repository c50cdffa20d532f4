package io.unwind.domain.plan;

import java.math.BigInteger;

/**
 * When no route takes a whole sale within the oracle floor, the pools are too shallow for it within the policy's
 * slippage. The keeper then sells a chunk and leaves the rest to later blocks, each re-planned from chain state: the
 * first smaller try is capped at what the best venue takes within the floor (when a venue takes anything), each further
 * try at half the last, up to {@link #MAX_HALVINGS} smaller tries. A sale refused for anything other than the floor (a
 * lying or failing source, a wrong target) says nothing about liquidity and is not chunked.
 */
public final class Chunking {
    /** How many smaller sales are tried after the planned one. */
    public static final int MAX_HALVINGS = 4;

    private Chunking() {}

    /**
     * Whether to try a smaller sale after try number {@code halvings} (0 for the planned sale) found no route.
     *
     * @param enabled the operator's chunking setting
     * @param onlyBelowFloor some route was refused only for falling under the oracle floor
     */
    public static boolean trySmaller(boolean enabled, int halvings, boolean onlyBelowFloor) {
        return enabled && halvings < MAX_HALVINGS && onlyBelowFloor;
    }

    /**
     * The most collateral the next try may sell: the best venue's capacity within the floor on the first smaller try
     * when it is known and positive, otherwise half of the last size (rounded down).
     *
     * @param bestVenueCapacity collateral base units the best venue takes within the floor, 0 when none or unprobed
     */
    public static BigInteger nextCap(int halvings, BigInteger lastSize, BigInteger bestVenueCapacity) {
        if (halvings == 0 && bestVenueCapacity.signum() > 0) return bestVenueCapacity;
        return lastSize.shiftRight(1);
    }

    /** Whether this try is the first smaller one, when each venue's capacity is worth probing. */
    public static boolean probeCapacity(int halvings) {
        return halvings == 0;
    }
}
