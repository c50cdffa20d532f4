package io.unwind.tx;

import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.fee.FeeSettings;
import java.util.Objects;

/**
 * How the transaction manager behaves.
 *
 * @param chainId the configured chain id: every transaction is signed for it
 * @param stuckAfterBlocks an attempt not mined this many blocks after a node took it is replaced
 * @param confirmationDepth blocks after which a mined transaction counts as final where the node has no "finalized"
 *     block; also how long a used nonce may stay unexplained before its transaction is given up
 * @param fees the fee policy for replacements
 * @param caps the most a replacement pays per gas
 * @param feeHistoryBlocks how many blocks of eth_feeHistory to price replacements from
 * @param maxImmediateBumps replacements sent at once, one after another, while nodes answer "underpriced"
 * @param nonceScanBlocks how far back to look for the transaction that took a nonce
 * @param gasMarginPermille a re-estimated gas limit is the estimate times this / 1000 (never below the old limit)
 * @param maxPlanAgeBlocks a journaled action that waited to be signed (behind another transaction, or across a restart)
 *     is given up, not signed, once it was planned more than this many blocks before the head: the engine plans again
 *     from the chain as it is then
 */
public record TxSettings(
        long chainId,
        int stuckAfterBlocks,
        int confirmationDepth,
        FeeSettings fees,
        FeeCaps caps,
        int feeHistoryBlocks,
        int maxImmediateBumps,
        int nonceScanBlocks,
        int gasMarginPermille,
        int maxPlanAgeBlocks) {

    public TxSettings {
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(caps, "caps");
        if (stuckAfterBlocks < 1) throw new IllegalArgumentException("stuckAfterBlocks must be >= 1");
        if (confirmationDepth < 1) throw new IllegalArgumentException("confirmationDepth must be >= 1");
        if (feeHistoryBlocks < 1 || feeHistoryBlocks > 1024)
            throw new IllegalArgumentException("feeHistoryBlocks in [1, 1024]");
        if (maxImmediateBumps < 0) throw new IllegalArgumentException("maxImmediateBumps must be >= 0");
        if (nonceScanBlocks < 1) throw new IllegalArgumentException("nonceScanBlocks must be >= 1");
        if (gasMarginPermille < 1000) throw new IllegalArgumentException("gasMarginPermille must be >= 1000");
        if (maxPlanAgeBlocks < 1) throw new IllegalArgumentException("maxPlanAgeBlocks must be >= 1");
    }

    /**
     * Stuck after 3 blocks, final after 12 without a finalized tag, 20 blocks of fee history, +20% gas margin, a
     * waiting action given up 10 blocks after it was planned.
     */
    public static TxSettings defaults(long chainId, FeeCaps caps) {
        return new TxSettings(chainId, 3, 12, FeeSettings.defaults(), caps, 20, 3, 128, 1200, 10);
    }

    public TxSettings withStuckAfterBlocks(int n) {
        return new TxSettings(
                chainId,
                n,
                confirmationDepth,
                fees,
                caps,
                feeHistoryBlocks,
                maxImmediateBumps,
                nonceScanBlocks,
                gasMarginPermille,
                maxPlanAgeBlocks);
    }

    public TxSettings withConfirmationDepth(int n) {
        return new TxSettings(
                chainId,
                stuckAfterBlocks,
                n,
                fees,
                caps,
                feeHistoryBlocks,
                maxImmediateBumps,
                nonceScanBlocks,
                gasMarginPermille,
                maxPlanAgeBlocks);
    }

    public TxSettings withMaxPlanAgeBlocks(int n) {
        return new TxSettings(
                chainId,
                stuckAfterBlocks,
                confirmationDepth,
                fees,
                caps,
                feeHistoryBlocks,
                maxImmediateBumps,
                nonceScanBlocks,
                gasMarginPermille,
                n);
    }

    public TxSettings withCaps(FeeCaps c) {
        return new TxSettings(
                chainId,
                stuckAfterBlocks,
                confirmationDepth,
                fees,
                c,
                feeHistoryBlocks,
                maxImmediateBumps,
                nonceScanBlocks,
                gasMarginPermille,
                maxPlanAgeBlocks);
    }
}
