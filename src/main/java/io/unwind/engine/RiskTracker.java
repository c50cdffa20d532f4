package io.unwind.engine;

import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.ExitTime;
import io.unwind.domain.risk.MarketVolatility;
import io.unwind.domain.risk.Prediction;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the keeper knows about each market's risk, across ticks: the realized volatility of its oracle and pool prices
 * (kept in the journal, so a restart does not forget an hour of a wild market), the liquidation queue's multiplier, and
 * how many blocks its own transactions take to be included. From these it predicts, for a vault between its soft and
 * hard triggers, the probability of liquidation before its exit could complete (see docs/RISK.md).
 */
public final class RiskTracker {
    private static final Logger log = LoggerFactory.getLogger(RiskTracker.class);
    /** Weight of the newest inclusion measurement in its moving average. */
    private static final double INCLUSION_ALPHA = 0.2;

    /** Where the volatility estimates are kept across restarts. */
    public interface Store {
        Map<String, MarketVolatility> loadVolatility();

        void saveVolatility(String marketId, MarketVolatility v);

        Store NONE = new Store() {
            @Override
            public Map<String, MarketVolatility> loadVolatility() {
                return Map.of();
            }

            @Override
            public void saveVolatility(String marketId, MarketVolatility v) {}
        };
    }

    /** The liquidation map's reading of a market: a multiplier ≥ 1 on its volatility, and why. */
    public interface Queue {
        Optional<Stress> stress(String marketId);

        /**
         * Collateral the market's venues absorb before their average price is {@code bps} or less under the oracle's
         * (the deepest measured fall not beyond {@code bps}), when measured.
         */
        default Optional<BigInteger> depthWithin(String marketId, int bps) {
            return Optional.empty();
        }

        Queue NONE = m -> Optional.empty();
    }

    /**
     * @param multiplier ≥ 1
     * @param explanation for people ("312 WETH liquidatable within 5% vs 120 WETH of depth")
     */
    public record Stress(double multiplier, String explanation) {}

    private final RiskSettings settings;
    private final Store store;
    private volatile Queue queue = Queue.NONE;
    private final Map<String, MarketVolatility> markets = new ConcurrentHashMap<>();
    private final Map<String, Long> savedAt = new ConcurrentHashMap<>();
    private volatile double inclusionBlocks = 1;
    private volatile double headGap = 1;
    private volatile long lastHead = -1;
    private volatile int inclusionSamples;
    private volatile boolean storeFailing;

    public RiskTracker(RiskSettings settings, Store store) {
        this.settings = settings;
        this.store = store;
        try {
            markets.putAll(store.loadVolatility());
            if (!markets.isEmpty()) log.info("volatility of {} market(s) restored from the journal", markets.size());
        } catch (RuntimeException e) {
            log.warn("the journal's volatility estimates could not be read ({}): starting from none", e.toString());
        }
    }

    public void useQueue(Queue q) {
        this.queue = q;
    }

    /** Blocks the oracle's price must have stayed the same for the pool's volatility to count. */
    public static final int ORACLE_QUIET_BLOCKS = 5;

    private final Map<String, long[]> oracleChanged = new ConcurrentHashMap<>();

    /** The market's oracle price at {@code block} (once per market per head; later calls for the block do nothing). */
    public void observeOracle(String marketId, long block, BigInteger price) {
        MarketVolatility before = markets.get(marketId);
        if (before == null || !price.equals(before.oracle().price())) {
            oracleChanged.put(marketId, new long[] {block});
        }
        markets.compute(
                marketId,
                (k, v) -> (v == null ? MarketVolatility.EMPTY : v).observeOracle(block, price, settings.halfLives()));
    }

    /** The price a small sale gets in the market's pool at {@code block}. */
    public void observePool(String marketId, long block, BigInteger price) {
        markets.compute(
                marketId,
                (k, v) -> (v == null ? MarketVolatility.EMPTY : v).observePool(block, price, settings.halfLives()));
    }

    /** Writes the estimates that changed since they were last written; a failure is logged once per outage. */
    public void persist() {
        for (var e : markets.entrySet()) {
            long block =
                    Math.max(e.getValue().oracle().block(), e.getValue().pool().block());
            if (savedAt.getOrDefault(e.getKey(), -1L) >= block) continue;
            try {
                store.saveVolatility(e.getKey(), e.getValue());
                savedAt.put(e.getKey(), block);
                if (storeFailing) log.info("volatility estimates are written to the journal again");
                storeFailing = false;
            } catch (RuntimeException ex) {
                if (!storeFailing) log.warn("volatility estimates not written to the journal: {}", ex.toString());
                storeFailing = true;
                return;
            }
        }
    }

    /** The keeper ticks {@code head}: the gaps between ticked heads are its detection delay. */
    public void ticked(long head) {
        long last = lastHead;
        lastHead = head;
        if (last < 0 || head <= last) return;
        headGap = INCLUSION_ALPHA * Math.min(head - last, 100) + (1 - INCLUSION_ALPHA) * headGap;
    }

    /** Measured mean blocks between the heads the keeper ticked (1 when it reads every head). */
    public double detectionBlocks() {
        return Math.max(1, headGap);
    }

    /** A transaction of the keeper's planned at one head was included {@code blocks} later. */
    public void included(long blocks) {
        if (blocks < 1) return;
        double b = Math.min(blocks, 100);
        inclusionBlocks = inclusionSamples == 0 ? b : INCLUSION_ALPHA * b + (1 - INCLUSION_ALPHA) * inclusionBlocks;
        inclusionSamples++;
    }

    /** Measured mean blocks from planning to inclusion (1 until measured). */
    public double inclusionBlocks() {
        return Math.max(1, inclusionBlocks);
    }

    public MarketVolatility.Reading reading(String marketId) {
        MarketVolatility v = markets.getOrDefault(marketId, MarketVolatility.EMPTY);
        Optional<Stress> s = queue.stress(marketId);
        return v.reading(
                settings.floorPerBlock(),
                s.map(Stress::multiplier).orElse(1.0),
                s.map(Stress::explanation).orElse(""),
                settings.blocksPerYear(),
                oracleQuiet(marketId, v));
    }

    /**
     * Whether the market's oracle has kept one price for {@link #ORACLE_QUIET_BLOCKS} blocks or more (unknown after a
     * restart until it changes: then the pool counts, the cautious side).
     */
    private boolean oracleQuiet(String marketId, MarketVolatility v) {
        long[] at = oracleChanged.get(marketId);
        return at == null || v.oracle().block() - at[0] >= ORACLE_QUIET_BLOCKS;
    }

    /** Every market's reading now, for metrics and the status page. */
    public Map<String, MarketVolatility.Reading> readings() {
        Map<String, MarketVolatility.Reading> out = new java.util.TreeMap<>();
        for (String m : markets.keySet()) out.put(m, reading(m));
        return out;
    }

    /**
     * The venues' depth within a sale's slippage cap of {@code maxSlippageBps} in this market, when the liquidation map
     * measured it at that fall or less (`market.map.depthLevelsPercent`). It is summed over the pools, so it is at
     * least what one route takes: the chunks it gives are the fewest a sale could need.
     */
    public Optional<BigInteger> depth(String marketId, int maxSlippageBps) {
        return queue.depthWithin(marketId, maxSlippageBps);
    }

    /**
     * The probability that {@code h} is liquidated before an exit that needs {@code chunks} actions, waiting
     * {@code queueBlocks} behind the book, could complete.
     */
    public Prediction predict(VaultHealth h, int chunks, int queueBlocks) {
        ExitTime exit =
                new ExitTime(detectionBlocks(), inclusionBlocks(), Math.max(1, chunks), Math.max(0, queueBlocks));
        return Prediction.of(h.ltv(), h.lltv(), reading(h.marketId()), exit);
    }
}
