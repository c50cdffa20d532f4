package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import java.util.List;
import java.util.Objects;

/**
 * How the keeper prices gas.
 *
 * @param normalPercentile tip percentile paid when nothing is urgent (for example 25)
 * @param urgentPercentile tip percentile paid at full urgency (for example 90); in between, tips are interpolated
 * @param minTip the tip never goes below this (blocks with no transactions report 0)
 * @param emergencyUrgency from this urgency score on, the emergency cap applies and a market above it is paid at the
 *     cap rather than waited out
 * @param bumpPermille a replacement raises each field to at least old x this / 1000 (at least 1100: geth's +10%)
 */
public record FeeSettings(
        int normalPercentile, int urgentPercentile, Wei minTip, double emergencyUrgency, int bumpPermille) {
    /** geth's replacement rule: both fields must rise by at least 10%. */
    public static final int GETH_MIN_BUMP_PERMILLE = 1100;

    public FeeSettings {
        if (normalPercentile < 0 || normalPercentile > 100 || urgentPercentile < 0 || urgentPercentile > 100) {
            throw new IllegalArgumentException("percentiles must be in [0, 100]");
        }
        if (urgentPercentile < normalPercentile) throw new IllegalArgumentException("urgent percentile below normal");
        Objects.requireNonNull(minTip, "minTip");
        if (Double.isNaN(emergencyUrgency) || emergencyUrgency < 0 || emergencyUrgency > 1) {
            throw new IllegalArgumentException("emergencyUrgency must be in [0, 1]");
        }
        if (bumpPermille < GETH_MIN_BUMP_PERMILLE) {
            throw new IllegalArgumentException("bumpPermille must be >= " + GETH_MIN_BUMP_PERMILLE + " (geth's +10%)");
        }
    }

    /** 25th to 90th percentile, 0.001 gwei minimum tip, emergency from urgency 0.5, +12.5% bumps. */
    public static FeeSettings defaults() {
        return new FeeSettings(25, 90, Wei.of(1_000_000L), 0.5, 1125);
    }

    /** The percentiles to request from {@code eth_feeHistory}. */
    public List<Integer> percentilesToRequest() {
        return normalPercentile == urgentPercentile
                ? List.of(normalPercentile)
                : List.of(normalPercentile, urgentPercentile);
    }
}
