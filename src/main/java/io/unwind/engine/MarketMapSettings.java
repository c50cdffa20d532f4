package io.unwind.engine;

import io.unwind.chain.market.MarketBorrowers;
import java.util.List;

/**
 * How the liquidation maps are made.
 *
 * @param stepBps a bucket's width, in bps of the price
 * @param rangeBps how far below the price the buckets go (a multiple of the step)
 * @param depthLevelsBps the drops the venues' depth is measured at (and the metrics are given for)
 * @param depthRefreshBlocks the depth is measured again after this many blocks
 * @param depthPriceMoveBps ... or once the price moved this much since it was
 * @param scan how borrowers are found and read
 */
public record MarketMapSettings(
        int stepBps,
        int rangeBps,
        List<Integer> depthLevelsBps,
        int depthRefreshBlocks,
        int depthPriceMoveBps,
        MarketBorrowers.Settings scan) {
    public MarketMapSettings {
        depthLevelsBps = List.copyOf(depthLevelsBps);
        if (stepBps <= 0 || rangeBps <= 0 || rangeBps > 10_000 || rangeBps % stepBps != 0)
            throw new IllegalArgumentException("range " + rangeBps + " bps is not a multiple of step " + stepBps);
        if (depthRefreshBlocks < 1) throw new IllegalArgumentException("depthRefreshBlocks < 1");
    }

    public static MarketMapSettings defaults() {
        return new MarketMapSettings(
                100, 5_000, List.of(500, 1_000, 2_000), 10, 100, MarketBorrowers.Settings.defaults());
    }
}
