package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An {@code eth_feeHistory} answer: the base fee of each of the last N blocks, the next block's base fee (known exactly
 * from the last block), and for each block the priority fees paid at the requested percentiles.
 *
 * @param baseFees base fee per block, oldest first
 * @param nextBaseFee the base fee of the next block
 * @param percentiles the reward percentiles requested, in the order of each block's reward list
 * @param rewards per block (same order as {@code baseFees}), the tip at each requested percentile
 */
public record FeeHistory(List<Wei> baseFees, Wei nextBaseFee, List<Integer> percentiles, List<List<Wei>> rewards) {
    public FeeHistory {
        baseFees = List.copyOf(baseFees);
        Objects.requireNonNull(nextBaseFee, "nextBaseFee");
        percentiles = List.copyOf(percentiles);
        rewards = rewards.stream().map(List::copyOf).toList();
        if (rewards.size() != baseFees.size()) {
            throw new IllegalArgumentException(rewards.size() + " reward rows for " + baseFees.size() + " blocks");
        }
        for (List<Wei> row : rewards) {
            if (row.size() != percentiles.size()) {
                throw new IllegalArgumentException(
                        "a reward row has " + row.size() + " entries for " + percentiles.size() + " percentiles");
            }
        }
    }

    /**
     * An {@code eth_feeHistory} answer as the node gives it. The node returns one base fee more than blocks (the next
     * block's); blocks with no transactions may come without rewards, or some nodes omit them all for an empty history:
     * a missing or short row counts as tips of 0 at every percentile.
     *
     * @param baseFeesAndNext the blocks' base fees, oldest first, then the next block's
     * @param rewards per block, the tip at each of {@code percentiles}
     */
    public static FeeHistory fromNode(
            List<BigInteger> baseFeesAndNext, List<List<BigInteger>> rewards, List<Integer> percentiles) {
        if (baseFeesAndNext.isEmpty()) throw new IllegalArgumentException("eth_feeHistory returned no base fees");
        int blocks = baseFeesAndNext.size() - 1;
        List<Wei> base =
                baseFeesAndNext.subList(0, blocks).stream().map(Wei::of).toList();
        List<List<Wei>> tips = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            List<BigInteger> row = i < rewards.size() ? rewards.get(i) : List.of();
            tips.add(
                    row.size() == percentiles.size()
                            ? row.stream().map(Wei::of).toList()
                            : Collections.nCopies(percentiles.size(), Wei.ZERO));
        }
        return new FeeHistory(base, Wei.of(baseFeesAndNext.get(blocks)), percentiles, tips);
    }

    /** The tips paid at {@code percentile} in each block, oldest first. The percentile must have been requested. */
    public List<Wei> rewardsAt(int percentile) {
        int i = percentiles.indexOf(percentile);
        if (i < 0) {
            throw new IllegalArgumentException("percentile " + percentile + " was not requested: " + percentiles);
        }
        return rewards.stream().map(row -> row.get(i)).toList();
    }
}
