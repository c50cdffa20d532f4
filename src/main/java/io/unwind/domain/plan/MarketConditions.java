package io.unwind.domain.plan;

import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Prediction;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * What the keeper currently believes about the market, for one vault's pair, at the block being judged.
 *
 * @param expectedSlippageBps how far below the oracle value a sale is expected to fill (price impact and route fees),
 *     in basis points; sizing assumes this (never more than the vault's {@code maxSlippageBps}, since a sale below the
 *     oracle floor reverts anyway)
 * @param priceMovePerBlockBps recent absolute collateral price move per block, in basis points; raises urgency
 * @param gasPrice the max fee per gas the action is expected to be sent with; above the vault's {@code maxGasPrice} the
 *     keeper takes no fee
 * @param minimumRepay the smallest repayment, in loan-token base units, worth a transaction (for example the gas cost
 *     in loan-token units times a margin); zero disables the check
 * @param liquidityCap most collateral (base units) a route is known to take within the expected slippage, if known
 * @param prediction the keeper's prediction for this vault (probability of liquidation before its exit completes), when
 *     it made one: a vault between its soft and hard triggers acts only on a prediction above the owner's threshold
 * @param moveSource another vault of the same owner the keeper may move collateral from into this one this block (see
 *     {@link MoveSource}), when the block's book set one aside for it
 */
public record MarketConditions(
        int expectedSlippageBps,
        double priceMovePerBlockBps,
        Wei gasPrice,
        BigInteger minimumRepay,
        Optional<BigInteger> liquidityCap,
        Optional<Prediction> prediction,
        Optional<MoveSource> moveSource) {

    public MarketConditions(
            int expectedSlippageBps,
            double priceMovePerBlockBps,
            Wei gasPrice,
            BigInteger minimumRepay,
            Optional<BigInteger> liquidityCap) {
        this(expectedSlippageBps, priceMovePerBlockBps, gasPrice, minimumRepay, liquidityCap, Optional.empty());
    }

    public MarketConditions(
            int expectedSlippageBps,
            double priceMovePerBlockBps,
            Wei gasPrice,
            BigInteger minimumRepay,
            Optional<BigInteger> liquidityCap,
            Optional<Prediction> prediction) {
        this(
                expectedSlippageBps,
                priceMovePerBlockBps,
                gasPrice,
                minimumRepay,
                liquidityCap,
                prediction,
                Optional.empty());
    }

    public MarketConditions {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(moveSource, "moveSource");
        if (expectedSlippageBps < 0 || expectedSlippageBps > 10_000) {
            throw new IllegalArgumentException("expectedSlippageBps must be in [0, 10000]: " + expectedSlippageBps);
        }
        if (Double.isNaN(priceMovePerBlockBps) || priceMovePerBlockBps < 0) {
            throw new IllegalArgumentException("priceMovePerBlockBps must be >= 0: " + priceMovePerBlockBps);
        }
        Objects.requireNonNull(gasPrice, "gasPrice");
        Objects.requireNonNull(minimumRepay, "minimumRepay");
        if (minimumRepay.signum() < 0) throw new IllegalArgumentException("minimumRepay must be >= 0");
        Objects.requireNonNull(liquidityCap, "liquidityCap");
        liquidityCap.ifPresent(c -> {
            if (c.signum() < 0) throw new IllegalArgumentException("liquidityCap must be >= 0");
        });
    }

    /** A calm market with the given expected slippage and gas price, no minimum and no known liquidity limit. */
    public static MarketConditions calm(int expectedSlippageBps, Wei gasPrice) {
        return new MarketConditions(expectedSlippageBps, 0, gasPrice, BigInteger.ZERO, Optional.empty());
    }

    /** The same conditions with a known most-collateral-per-sale (the pools cannot take more within the floor). */
    public MarketConditions withLiquidityCap(BigInteger cap) {
        return new MarketConditions(
                expectedSlippageBps,
                priceMovePerBlockBps,
                gasPrice,
                minimumRepay,
                Optional.of(cap),
                prediction,
                moveSource);
    }

    /** The same conditions with the keeper's prediction for the vault. */
    public MarketConditions withPrediction(Prediction p) {
        return new MarketConditions(
                expectedSlippageBps,
                priceMovePerBlockBps,
                gasPrice,
                minimumRepay,
                liquidityCap,
                Optional.of(p),
                moveSource);
    }

    /** The same conditions with a vault of the same owner to move collateral from. */
    public MarketConditions withMoveSource(MoveSource source) {
        return new MarketConditions(
                expectedSlippageBps,
                priceMovePerBlockBps,
                gasPrice,
                minimumRepay,
                liquidityCap,
                prediction,
                Optional.of(source));
    }
}
