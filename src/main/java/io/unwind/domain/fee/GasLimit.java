package io.unwind.domain.fee;

import java.math.BigInteger;

/**
 * The gas limit to sign for an estimate: the estimate times a margin, rounded up, plus a fixed headroom. The margin
 * covers state that changes between the estimate and inclusion (a pool's ticks, a price); the headroom covers the
 * refunds and cold-access costs an estimate does not always see. Each sender keeps its own margin (the keeper's
 * actions, the CLI's owner transactions, re-estimates of a journaled transaction), but all of them use this rule.
 *
 * @param permille the estimate is multiplied by this / 1000, rounded up (at least 1000: never under the estimate)
 * @param headroom gas units added after the margin
 */
public record GasLimit(int permille, long headroom) {
    /** The keeper's deleverage and top-up actions: a quarter more, and 25,000. */
    public static final GasLimit KEEPER_ACTION = new GasLimit(1250, 25_000);
    /** The owner's transactions sent by the CLI: a fifth more, and 10,000. */
    public static final GasLimit OWNER_TRANSACTION = new GasLimit(1200, 10_000);

    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    public GasLimit {
        if (permille < 1000) throw new IllegalArgumentException("a gas margin under 1000 permille cuts the estimate");
        if (headroom < 0) throw new IllegalArgumentException("headroom < 0");
    }

    /** A margin of {@code permille} and no headroom. */
    public static GasLimit ofPermille(int permille) {
        return new GasLimit(permille, 0);
    }

    /** {@code ceil(estimate x permille / 1000) + headroom}. */
    public BigInteger forEstimate(BigInteger estimate) {
        if (estimate.signum() < 0) throw new IllegalArgumentException("estimate < 0");
        BigInteger[] qr = estimate.multiply(BigInteger.valueOf(permille)).divideAndRemainder(THOUSAND);
        BigInteger scaled = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return scaled.add(BigInteger.valueOf(headroom));
    }
}
