package io.unwind.engine;

import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.fee.FeeSettings;
import io.unwind.domain.money.Token;
import io.unwind.domain.plan.KeeperSettings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's settings for the decision engine.
 *
 * @param expectedSlippageBps slippage a sale is first sized for (the route's real quote then corrects it)
 * @param feeHistoryBlocks blocks of eth_feeHistory to price gas from
 * @param nativeToken the chain's wrapped native token: when it is a vault's collateral, the market's oracle prices gas
 *     in the loan token
 * @param nativePrices otherwise, loan tokens per whole native token, by loan-token address
 * @param chunking when no route takes the whole sale within the oracle floor, probe each venue's capacity and sell a
 *     chunk it can take (the rest on later blocks); off only to compare against (a sale is then all or nothing)
 * @param fullScanEvery 1: every vault is read every block; N > 1: see {@link io.unwind.domain.scan.ScanPlan}
 * @param scanMarginBps with {@code fullScanEvery} > 1, how far below its trigger (in LTV) a vault must be, at the
 *     current oracle price, to be left unread for a block
 * @param protectAtOwnCost vaults acted on even when their fee does not pay for the keeper's gas; every other vault is
 *     held when it would (see {@link Keeper})
 * @param blockGasShareBps the most of a block's gas limit the keeper's actions of one block may use (the gas each is
 *     expected to use), in basis points: room left for everyone else, arbitrageurs refilling the pools first among them
 * @param risk how each market's volatility is estimated for the predictions that let a keeper act early
 */
public record EngineSettings(
        KeeperSettings keeper,
        FeeSettings fees,
        FeeCaps caps,
        int expectedSlippageBps,
        int feeHistoryBlocks,
        Optional<Address> nativeToken,
        Map<Address, BigDecimal> nativePrices,
        boolean chunking,
        int fullScanEvery,
        int scanMarginBps,
        java.util.Set<Address> protectAtOwnCost,
        int blockGasShareBps,
        RiskSettings risk) {

    /** The keeper's share of a block by default: a quarter. */
    public static final int DEFAULT_BLOCK_GAS_SHARE_BPS = 2500;

    public EngineSettings(
            KeeperSettings keeper,
            FeeSettings fees,
            FeeCaps caps,
            int expectedSlippageBps,
            int feeHistoryBlocks,
            Optional<Address> nativeToken,
            Map<Address, BigDecimal> nativePrices,
            boolean chunking,
            int fullScanEvery,
            int scanMarginBps,
            java.util.Set<Address> protectAtOwnCost,
            int blockGasShareBps) {
        this(
                keeper,
                fees,
                caps,
                expectedSlippageBps,
                feeHistoryBlocks,
                nativeToken,
                nativePrices,
                chunking,
                fullScanEvery,
                scanMarginBps,
                protectAtOwnCost,
                blockGasShareBps,
                RiskSettings.DEFAULTS);
    }

    public EngineSettings(
            KeeperSettings keeper,
            FeeSettings fees,
            FeeCaps caps,
            int expectedSlippageBps,
            int feeHistoryBlocks,
            Optional<Address> nativeToken,
            Map<Address, BigDecimal> nativePrices,
            boolean chunking,
            int fullScanEvery,
            int scanMarginBps,
            java.util.Set<Address> protectAtOwnCost) {
        this(
                keeper,
                fees,
                caps,
                expectedSlippageBps,
                feeHistoryBlocks,
                nativeToken,
                nativePrices,
                chunking,
                fullScanEvery,
                scanMarginBps,
                protectAtOwnCost,
                DEFAULT_BLOCK_GAS_SHARE_BPS);
    }

    public EngineSettings(
            KeeperSettings keeper,
            FeeSettings fees,
            FeeCaps caps,
            int expectedSlippageBps,
            int feeHistoryBlocks,
            Optional<Address> nativeToken,
            Map<Address, BigDecimal> nativePrices,
            boolean chunking,
            int fullScanEvery,
            int scanMarginBps) {
        this(
                keeper,
                fees,
                caps,
                expectedSlippageBps,
                feeHistoryBlocks,
                nativeToken,
                nativePrices,
                chunking,
                fullScanEvery,
                scanMarginBps,
                java.util.Set.of());
    }

    public EngineSettings(
            KeeperSettings keeper,
            FeeSettings fees,
            FeeCaps caps,
            int expectedSlippageBps,
            int feeHistoryBlocks,
            Optional<Address> nativeToken,
            Map<Address, BigDecimal> nativePrices,
            boolean chunking) {
        this(keeper, fees, caps, expectedSlippageBps, feeHistoryBlocks, nativeToken, nativePrices, chunking, 1, 300);
    }

    public EngineSettings(
            KeeperSettings keeper,
            FeeSettings fees,
            FeeCaps caps,
            int expectedSlippageBps,
            int feeHistoryBlocks,
            Optional<Address> nativeToken,
            Map<Address, BigDecimal> nativePrices) {
        this(keeper, fees, caps, expectedSlippageBps, feeHistoryBlocks, nativeToken, nativePrices, true);
    }

    public EngineSettings {
        Objects.requireNonNull(keeper, "keeper");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(caps, "caps");
        Objects.requireNonNull(risk, "risk");
        if (expectedSlippageBps < 0 || expectedSlippageBps > 10_000)
            throw new IllegalArgumentException("expectedSlippageBps in [0, 10000]");
        if (feeHistoryBlocks < 1 || feeHistoryBlocks > 1024)
            throw new IllegalArgumentException("feeHistoryBlocks in [1, 1024]");
        if (fullScanEvery < 1) throw new IllegalArgumentException("fullScanEvery must be at least 1");
        if (scanMarginBps < 0 || scanMarginBps > 10_000)
            throw new IllegalArgumentException("scanMarginBps in [0, 10000]");
        if (blockGasShareBps < 1 || blockGasShareBps > 10_000)
            throw new IllegalArgumentException("blockGasShareBps in [1, 10000]");
        nativePrices = Map.copyOf(nativePrices);
        protectAtOwnCost = java.util.Set.copyOf(protectAtOwnCost);
    }

    /** The same settings with another share of each block for the keeper's actions. */
    public EngineSettings withBlockGasShareBps(int bps) {
        return new EngineSettings(
                keeper,
                fees,
                caps,
                expectedSlippageBps,
                feeHistoryBlocks,
                nativeToken,
                nativePrices,
                chunking,
                fullScanEvery,
                scanMarginBps,
                protectAtOwnCost,
                bps,
                risk);
    }

    /** The same settings with another way of estimating volatility. */
    public EngineSettings withRisk(RiskSettings r) {
        return new EngineSettings(
                keeper,
                fees,
                caps,
                expectedSlippageBps,
                feeHistoryBlocks,
                nativeToken,
                nativePrices,
                chunking,
                fullScanEvery,
                scanMarginBps,
                protectAtOwnCost,
                blockGasShareBps,
                r);
    }

    /** Loan-token base units per whole native token (1e18 wei), from the configured price, if any. */
    public Optional<BigInteger> fixedNativePrice(Token loan) {
        return Optional.ofNullable(nativePrices.get(loan.address()))
                .map(p -> p.movePointRight(loan.decimals()).toBigInteger());
    }
}
