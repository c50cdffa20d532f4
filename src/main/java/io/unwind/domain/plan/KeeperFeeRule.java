package io.unwind.domain.plan;

import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;

/**
 * The keeper's fee rate for one action, as the vault will allow it. The vault pays a fee only when {@code tx.gasprice
 * <= maxGasPrice} and caps it at {@code repaid * maxFeeBps / 10_000} (rounded down); a fee above either limit reverts
 * the whole action ({@code FeeTooHigh}).
 */
public final class KeeperFeeRule {
    private KeeperFeeRule() {}

    /**
     * The fee rate to ask, in basis points of the debt repaid. A transaction's effective gas price is at most its
     * {@code maxFeePerGas} but can be anything up to it, so a fee is asked only when even the highest price the
     * transaction may pay is within the vault's {@code maxGasPrice}: otherwise a rise in the base fee would make the
     * action revert. (A keeper that wants its fee can cap its {@code maxFeePerGas} at {@code maxGasPrice}.)
     */
    public static int feeBps(Policy policy, KeeperSettings settings, Wei maxFeePerGas) {
        if (!feeAllowed(policy, maxFeePerGas)) return 0;
        return Math.min(settings.keeperFeeBps(), policy.maxFeeBps());
    }

    /** True when the vault would pay a fee to a transaction sent with {@code maxFeePerGas}, whatever the base fee. */
    public static boolean feeAllowed(Policy policy, Wei maxFeePerGas) {
        return maxFeePerGas.compareTo(policy.maxGasPrice()) <= 0;
    }
}
