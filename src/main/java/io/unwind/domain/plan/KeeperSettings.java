package io.unwind.domain.plan;

import io.unwind.domain.position.Policy;
import java.time.Duration;
import java.util.Objects;

/**
 * The keeper operator's own choices (not the vault owner's policy, which the contract enforces).
 *
 * @param keeperFeeBps fee the keeper asks, in basis points of the debt an action repays; the vault's {@code maxFeeBps}
 *     caps it, and it is zero whenever the gas price may exceed the vault's {@code maxGasPrice}
 * @param oversellToleranceBps a sale may sell up to this share more collateral than needed to reach the target (plus a
 *     few base units of rounding, see {@link Plan.Sell#maxCollateral()}); quotes for larger sales are re-sized
 * @param targetToleranceBps the predicted LTV after an action may exceed the target by this many basis points of LTV
 *     (absolute: target 70.00% and 5 bps accept up to 70.05%) before the plan is refused
 * @param maxResizeAttempts how many times a sale is re-quoted at a corrected size before taking what the last quote
 *     gives (a partial sale) or refusing it (an oversized one)
 * @param txDeadline how long a signed action stays valid on chain (the contract's {@code deadline})
 * @param volatilityHorizonBlocks a sustained price move that would liquidate within this many blocks makes an action
 *     fully urgent
 */
public record KeeperSettings(
        int keeperFeeBps,
        int oversellToleranceBps,
        int targetToleranceBps,
        int maxResizeAttempts,
        Duration txDeadline,
        int volatilityHorizonBlocks) {

    public KeeperSettings {
        if (keeperFeeBps < 0 || keeperFeeBps > Policy.MAX_FEE_BPS) {
            throw new IllegalArgumentException("keeperFeeBps must be in [0, " + Policy.MAX_FEE_BPS
                    + "] (the vault caps its fee there): " + keeperFeeBps);
        }
        requireBps(oversellToleranceBps, "oversellToleranceBps");
        requireBps(targetToleranceBps, "targetToleranceBps");
        if (maxResizeAttempts < 0) throw new IllegalArgumentException("maxResizeAttempts must be >= 0");
        Objects.requireNonNull(txDeadline, "txDeadline");
        if (txDeadline.isNegative() || txDeadline.isZero()) {
            throw new IllegalArgumentException("txDeadline must be > 0");
        }
        if (volatilityHorizonBlocks < 1) throw new IllegalArgumentException("volatilityHorizonBlocks must be >= 1");
    }

    /** 0.1% fee, 0.5% oversell tolerance, 5 bps above target, 2 re-sizes, 2-minute deadline, 20-block horizon. */
    public static KeeperSettings defaults() {
        return new KeeperSettings(10, 50, 5, 2, Duration.ofMinutes(2), 20);
    }

    private static void requireBps(int v, String name) {
        if (v < 0 || v > 10_000) throw new IllegalArgumentException(name + " must be in [0, 10000]: " + v);
    }
}
