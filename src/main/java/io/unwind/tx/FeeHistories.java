package io.unwind.tx;

import io.unwind.chain.FeeHistoryData;
import io.unwind.domain.fee.FeeHistory;
import java.util.List;

/** eth_feeHistory as the node gave it, as the fee policy reads it. */
public final class FeeHistories {
    private FeeHistories() {}

    /** See {@link FeeHistory#fromNode}: the one conversion, shared with the engine and the CLI. */
    public static FeeHistory toDomain(FeeHistoryData d, List<Integer> percentiles) {
        return FeeHistory.fromNode(d.baseFees(), d.rewards(), percentiles);
    }
}
