package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import java.util.ArrayList;
import java.util.List;

/** Fee histories for tests: one row of [p25, p90] tips per block. */
final class Histories {
    private Histories() {}

    /** Blocks with the same base fee {@code baseGwei}, next base fee {@code nextGwei}, tips in gwei per block. */
    static FeeHistory of(long baseGwei, long nextGwei, long[][] tipsGwei) {
        List<Wei> bases = new ArrayList<>();
        List<List<Wei>> rewards = new ArrayList<>();
        for (long[] row : tipsGwei) {
            bases.add(Wei.gwei(baseGwei));
            rewards.add(List.of(Wei.gwei(row[0]), Wei.gwei(row[1])));
        }
        return new FeeHistory(bases, Wei.gwei(nextGwei), List.of(25, 90), rewards);
    }
}
