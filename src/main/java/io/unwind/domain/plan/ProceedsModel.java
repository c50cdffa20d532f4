package io.unwind.domain.plan;

import io.unwind.domain.position.Ltv;
import java.math.BigInteger;

/**
 * What a sale of some collateral is assumed to bring, in loan-token base units, rounded down (proceeds are never
 * overstated). Also exposes the rate as a fraction of the oracle value, for the closed-form first guess.
 */
sealed interface ProceedsModel {

    BigInteger proceeds(BigInteger collateral);

    /** Proceeds per unit of oracle value: {@code rateNum / rateDen}. */
    BigInteger rateNum();

    BigInteger rateDen();

    /**
     * The oracle value minus {@code slippageBps}: what the planner assumes before any quote. Never less than the
     * vault's oracle floor: a route under it makes the vault revert and is rejected at quote time, so no sale is sized
     * for less (at a slippage equal to the policy's, rounding alone would otherwise put it a unit under).
     */
    record AtSlippage(BigInteger price, int slippageBps, int maxSlippageBps) implements ProceedsModel {
        @Override
        public BigInteger proceeds(BigInteger collateral) {
            BigInteger atSlippage = collateral
                    .multiply(price)
                    .multiply(BigInteger.valueOf(10_000L - slippageBps))
                    .divide(Ltv.PRICE_SCALE.multiply(Ltv.BPS));
            return atSlippage.max(Ltv.oracleFloor(collateral, price, maxSlippageBps));
        }

        @Override
        public BigInteger rateNum() {
            return BigInteger.valueOf(10_000L - slippageBps);
        }

        @Override
        public BigInteger rateDen() {
            return Ltv.BPS;
        }
    }

    /** One quote's rate applied to other sizes: the fixed-point step of re-sizing. */
    record Scaled(BigInteger quotedCollateral, BigInteger quotedProceeds, BigInteger price) implements ProceedsModel {
        public Scaled {
            if (quotedCollateral.signum() <= 0) throw new IllegalArgumentException("quoted collateral must be > 0");
        }

        @Override
        public BigInteger proceeds(BigInteger collateral) {
            return quotedProceeds.multiply(collateral).divide(quotedCollateral);
        }

        @Override
        public BigInteger rateNum() {
            return quotedProceeds.multiply(Ltv.PRICE_SCALE);
        }

        @Override
        public BigInteger rateDen() {
            return quotedCollateral.multiply(price);
        }
    }
}
