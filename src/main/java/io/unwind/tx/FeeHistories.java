package io.unwind.tx;

import io.unwind.chain.FeeHistoryData;
import io.unwind.domain.fee.FeeHistory;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** eth_feeHistory as the node gave it, as the fee policy reads it. */
public final class FeeHistories {
    private FeeHistories() {}

    /**
     * The node returns one base fee more than blocks (the next block's); blocks with no transactions may come
     * without rewards, which count as tips of 0.
     */
    public static FeeHistory toDomain(FeeHistoryData d, List<Integer> percentiles) {
        List<BigInteger> all = d.baseFees();
        if (all.isEmpty()) throw new IllegalArgumentException("eth_feeHistory returned no base fees");
        int blocks = all.size() - 1;
        List<Wei> base = all.subList(0, blocks).stream().map(Wei::of).toList();
        List<List<Wei>> rewards = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            List<BigInteger> row = i < d.rewards().size() ? d.rewards().get(i) : List.of();
            rewards.add(row.size() == percentiles.size()
                    ? row.stream().map(Wei::of).toList()
                    : Collections.nCopies(percentiles.size(), Wei.ZERO));
        }
        return new FeeHistory(base, Wei.of(all.get(blocks)), percentiles, rewards);
    }
}
