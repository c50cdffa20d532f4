package io.unwind.domain.plan;

import java.math.BigInteger;

/**
 * What one sale does on chain, computed as the vault computes it, for a given collateral amount and given proceeds. All
 * amounts are base units.
 *
 * @param collateral collateral sold
 * @param proceeds loan tokens the sale is counted on to bring
 * @param oracleFloor the vault's oracle floor for this sale
 * @param equityFloor the vault's equity floor for this sale ({@link Snapshot#equityFloor})
 * @param toTarget the repayment that lands LTV on the target after this sale
 * @param minRepaid the keeper's {@code minRepaid} argument
 * @param required what the vault repays and requires: {@code max(minRepaid, oracleFloor, equityFloor)}
 * @param repaid debt actually repaid: {@code required}, or the whole debt if that is less
 * @param keeperFee the keeper's fee, within both the fee rate and what the proceeds leave over
 * @param flashPremium what the pool takes for the flash loan of an Aave sale on the flash path
 *     ({@link Snapshot#flashPremium}; 0 otherwise), paid from the proceeds before the fee
 * @param surplus proceeds left in the vault's reserve
 * @param ltvAfter LTV after the sale at the same price ({@code Ltv.ltv}, as the contract's post-check)
 * @param coversFloor the proceeds reach both floors and the premium on them (otherwise the vault reverts)
 * @param reachesTarget the proceeds cover the repayment to the target (LTV lands on it, or under it when the floor
 *     forces more), the keeper's fee taking what is left
 * @param reachesTargetPayingFee the same, with the keeper's full fee paid (or with the floor alone reaching it): the
 *     condition sizes are searched for, monotone in the amount sold
 */
record SaleFigures(
        BigInteger collateral,
        BigInteger proceeds,
        BigInteger oracleFloor,
        BigInteger equityFloor,
        BigInteger toTarget,
        BigInteger minRepaid,
        BigInteger required,
        BigInteger repaid,
        BigInteger keeperFee,
        BigInteger flashPremium,
        BigInteger surplus,
        BigInteger ltvAfter,
        boolean coversFloor,
        boolean reachesTarget,
        boolean reachesTargetPayingFee) {

    /**
     * The contract's {@code NotDeleveraged} check passes: debt and LTV both go down, LTV by at least
     * {@link Snapshot#MIN_LTV_DROP} unless the sale ends under the trigger.
     */
    boolean lowersLtv(Snapshot s) {
        return repaid.signum() > 0 && s.saleProgresses(ltvAfter);
    }

    /** The higher of the two floors: what the proceeds must cover before any fee. */
    java.math.BigInteger floor() {
        return oracleFloor.max(equityFloor);
    }
}
