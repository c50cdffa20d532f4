package io.unwind.domain.risk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent oracle price moves per market, as an exponentially weighted average of the absolute move per block in basis
 * points. It feeds urgency: a fast-falling market makes the same LTV more urgent.
 */
public final class MarketTracker {
    private static final double ALPHA = 0.3;

    private record State(long block, BigInteger price, double movePerBlockBps) {}

    private final Map<String, State> markets = new ConcurrentHashMap<>();

    /** Records the price of {@code marketId} at {@code block}; returns the current move per block (bps). */
    public double observe(String marketId, long block, BigInteger price) {
        if (price.signum() <= 0) return movePerBlockBps(marketId);
        State s = markets.compute(marketId, (k, prev) -> {
            if (prev == null || block <= prev.block()) return prev == null ? new State(block, price, 0) : prev;
            long blocks = block - prev.block();
            double move = new BigDecimal(price.subtract(prev.price()).abs())
                            .multiply(BigDecimal.valueOf(10_000))
                            .divide(new BigDecimal(prev.price()), MathContext.DECIMAL64)
                            .doubleValue()
                    / blocks;
            return new State(block, price, ALPHA * move + (1 - ALPHA) * prev.movePerBlockBps());
        });
        return s.movePerBlockBps();
    }

    public double movePerBlockBps(String marketId) {
        State s = markets.get(marketId);
        return s == null ? 0 : s.movePerBlockBps();
    }
}
