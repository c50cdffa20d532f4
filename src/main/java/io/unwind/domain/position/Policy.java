package io.unwind.domain.position;

import io.unwind.domain.money.Bps;
import io.unwind.domain.money.Wei;
import java.time.Duration;
import java.util.Objects;

/**
 * The owner's policy as the vault stores and enforces it. Ratios are basis points (10_000 = 100%).
 *
 * @param triggerLtvBps LTV at or above which keepers may act
 * @param targetLtvBps LTV a keeper action aims for
 * @param bandBps an action may not leave LTV below target - band (the contract refuses overselling)
 * @param maxSlippageBps the oracle floor: proceeds >= collateral sold x oracle price x (1 - this)
 * @param maxFeeBps keeper fee cap, of the debt an action repays
 * @param maxSellBps most collateral one deleverage may sell, of the vault's collateral
 * @param cooldown time between actions that ended under the trigger
 * @param maxGasPrice above this gas price the keeper may take no fee
 */
public record Policy(
        int triggerLtvBps,
        int targetLtvBps,
        int bandBps,
        int maxSlippageBps,
        int maxFeeBps,
        int maxSellBps,
        Duration cooldown,
        Wei maxGasPrice) {

    public static final int BPS = 10_000;
    /** The vault's cap on maxSlippageBps (UnwindVault.MAX_SLIPPAGE_BPS): beyond 10% a floor protects nothing. */
    public static final int MAX_SLIPPAGE_BPS = 1_000;
    /** The vault's cap on maxFeeBps (UnwindVault.MAX_FEE_BPS): 5% of the debt repaid. */
    public static final int MAX_FEE_BPS = 500;
    /** The vault's cap on the cooldown (UnwindVault.MAX_COOLDOWN). */
    public static final Duration MAX_COOLDOWN = Duration.ofDays(7);

    public Policy {
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(maxGasPrice, "maxGasPrice");
    }

    /** A policy the vault has never been given (all zero): keepers cannot act on it. */
    public boolean isSet() {
        return triggerLtvBps != 0;
    }

    public Bps trigger() {
        return Bps.of(triggerLtvBps);
    }

    public Bps target() {
        return Bps.of(targetLtvBps);
    }
}
