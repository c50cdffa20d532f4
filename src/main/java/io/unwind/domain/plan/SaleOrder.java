package io.unwind.domain.plan;

import io.unwind.domain.money.TokenAmount;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A sale ready to send: the arguments of the vault's {@code deleverage(collateralAmount, router, swapData, minRepaid,
 * deadline, keeperFee)} other than the route, and what it is predicted to do at the oracle price it was judged at.
 *
 * @param collateral {@code collateralAmount}
 * @param minRepaid {@code minRepaid}
 * @param required what the vault will require and repay: {@code max(minRepaid, oracleFloor)}
 * @param oracleFloor the vault's floor for this sale (rounded up as the contract does)
 * @param keeperFee {@code keeperFee}; {@code required + keeperFee + flashPremium <= guaranteedProceeds}
 * @param flashPremium what an Aave sale on the flash path pays the pool for flash-borrowing its repayment (0 on Morpho
 *     and on Aave's direct path); the vault adds it to what the sale must bring
 * @param predictedRepaid debt repaid: {@code required}, or the whole debt if that is less
 * @param guaranteedProceeds the route's minimum: if the route does not revert, neither does the vault's check
 * @param expectedProceeds the route's expectation; {@link #expectedSurplus()} of it stays in the reserve
 * @param ltvBefore LTV before, as the contract computes it
 * @param predictedLtvAfter LTV after at the same price with the contract's rounding; Morpho's share rounding and
 *     interest accrued until inclusion can only raise the debt by a few units, never lower it
 * @param targetLtv the policy's target
 * @param sizing whether this lands on the target or is one chunk
 * @param deadline {@code deadline}
 */
public record SaleOrder(
        TokenAmount collateral,
        TokenAmount minRepaid,
        TokenAmount required,
        TokenAmount oracleFloor,
        TokenAmount keeperFee,
        TokenAmount flashPremium,
        TokenAmount predictedRepaid,
        TokenAmount guaranteedProceeds,
        TokenAmount expectedProceeds,
        BigInteger ltvBefore,
        BigInteger predictedLtvAfter,
        BigInteger targetLtv,
        Sizing sizing,
        Instant deadline) {

    public SaleOrder {
        Objects.requireNonNull(collateral, "collateral");
        Objects.requireNonNull(minRepaid, "minRepaid");
        Objects.requireNonNull(required, "required");
        Objects.requireNonNull(oracleFloor, "oracleFloor");
        Objects.requireNonNull(keeperFee, "keeperFee");
        Objects.requireNonNull(flashPremium, "flashPremium");
        Objects.requireNonNull(predictedRepaid, "predictedRepaid");
        Objects.requireNonNull(guaranteedProceeds, "guaranteedProceeds");
        Objects.requireNonNull(expectedProceeds, "expectedProceeds");
        Objects.requireNonNull(ltvBefore, "ltvBefore");
        Objects.requireNonNull(predictedLtvAfter, "predictedLtvAfter");
        Objects.requireNonNull(targetLtv, "targetLtv");
        Objects.requireNonNull(sizing, "sizing");
        Objects.requireNonNull(deadline, "deadline");
        if (required.plus(keeperFee).plus(flashPremium).compareTo(guaranteedProceeds) > 0) {
            throw new IllegalArgumentException("required + fee + flash premium exceeds the guaranteed proceeds");
        }
    }

    /** Loan tokens the vault must receive from the router: {@code required + keeperFee + flashPremium}. */
    public TokenAmount proceedsRequired() {
        return required.plus(keeperFee).plus(flashPremium);
    }

    /** What stays in the vault's reserve if the route delivers its expectation. */
    public TokenAmount expectedSurplus() {
        return expectedProceeds.minus(proceedsRequired());
    }

    /** The contract's {@code deadline} argument, in seconds since the epoch. */
    public long deadlineEpochSeconds() {
        return deadline.getEpochSecond();
    }

    /**
     * The same order without a fee: what to send when the gas price may exceed the vault's maxGasPrice. Dropping the
     * fee never makes a valid order invalid (the vault then requires less).
     */
    public SaleOrder withoutKeeperFee() {
        return new SaleOrder(
                collateral,
                minRepaid,
                required,
                oracleFloor,
                TokenAmount.zero(keeperFee.token()),
                flashPremium,
                predictedRepaid,
                guaranteedProceeds,
                expectedProceeds,
                ltvBefore,
                predictedLtvAfter,
                targetLtv,
                sizing,
                deadline);
    }
}
