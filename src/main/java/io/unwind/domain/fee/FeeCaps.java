package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import java.util.Objects;

/**
 * The most the keeper pays per gas (as {@code maxFeePerGas}): {@code normal} while the position is not urgent,
 * {@code emergency} as liquidation nears. From the operator's configuration.
 */
public record FeeCaps(Wei normal, Wei emergency) {
    public FeeCaps {
        Objects.requireNonNull(normal, "normal");
        Objects.requireNonNull(emergency, "emergency");
        if (emergency.compareTo(normal) < 0) throw new IllegalArgumentException("emergency cap below the normal cap");
    }
}
