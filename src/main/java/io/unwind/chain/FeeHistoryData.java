package io.unwind.chain;

import java.math.BigInteger;
import java.util.List;

/**
 * eth_feeHistory as the node returned it: base fees of the blocks asked for plus the next block's (one more than
 * blocks), gas used ratios, and per block the priority fee at each requested percentile.
 */
public record FeeHistoryData(
        long oldestBlock, List<BigInteger> baseFees, List<Double> gasUsedRatios, List<List<BigInteger>> rewards) {
    public FeeHistoryData {
        baseFees = List.copyOf(baseFees);
        gasUsedRatios = List.copyOf(gasUsedRatios);
        rewards = List.copyOf(rewards);
    }

    /** The base fee of the block after the newest one in the history. */
    public BigInteger nextBaseFee() {
        return baseFees.get(baseFees.size() - 1);
    }
}
