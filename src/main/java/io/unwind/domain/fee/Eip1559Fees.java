package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import java.util.Objects;

/** The two fee fields of an EIP-1559 transaction. A node refuses a tip above the fee cap, so this does too. */
public record Eip1559Fees(Wei maxFeePerGas, Wei maxPriorityFeePerGas) {
    public Eip1559Fees {
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException(
                    "tip " + maxPriorityFeePerGas.toGweiString() + " above fee cap " + maxFeePerGas.toGweiString());
        }
    }

    /** What a block with this base fee would charge per gas: min(maxFee, baseFee + tip). */
    public Wei effectivePrice(Wei baseFee) {
        return baseFee.plus(maxPriorityFeePerGas).min(maxFeePerGas);
    }

    /** True when a block with this base fee can include the transaction. */
    public boolean includableAt(Wei baseFee) {
        return maxFeePerGas.compareTo(baseFee) >= 0;
    }

    @Override
    public String toString() {
        return "maxFee " + maxFeePerGas.toGweiString() + ", tip " + maxPriorityFeePerGas.toGweiString();
    }
}
