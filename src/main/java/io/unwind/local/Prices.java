package io.unwind.local;

import io.unwind.domain.money.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Conversions between a human price (loan tokens per whole collateral token) and what each contract wants: the feed's
 * answer, Morpho's 1e36-scaled oracle price, a Uniswap V3 sqrtPriceX96, and amounts. Decimals come from the tokens.
 */
public record Prices(Token collateral, Token loan, int feedDecimals) {

    /** The feed answer for {@code price}, rounded down to the feed's decimals. */
    public BigInteger feedAnswer(BigDecimal price) {
        return price.movePointRight(feedDecimals).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /** Morpho's oracle price for a feed answer, as the adapter computes it. */
    public BigInteger oraclePrice(BigInteger answer) {
        int exp = 36 + loan.decimals() - collateral.decimals() - feedDecimals;
        return exp >= 0 ? answer.multiply(BigInteger.TEN.pow(exp)) : answer.divide(BigInteger.TEN.pow(-exp));
    }

    public BigInteger oraclePrice(BigDecimal price) {
        return oraclePrice(feedAnswer(price));
    }

    /** Loan base units per whole collateral token, rounded down. */
    public BigInteger loanPerCollateralToken(BigDecimal price) {
        return price.movePointRight(loan.decimals())
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    /** Collateral base units worth {@code loanAmount} at {@code price}, rounded down. */
    public BigInteger collateralFor(BigInteger loanAmount, BigDecimal price) {
        return loanAmount.multiply(BigInteger.TEN.pow(collateral.decimals())).divide(loanPerCollateralToken(price));
    }

    /** Loan base units worth {@code collateralAmount} at {@code price}, rounded down. */
    public BigInteger valueOf(BigInteger collateralAmount, BigDecimal price) {
        return collateralAmount
                .multiply(loanPerCollateralToken(price))
                .divide(BigInteger.TEN.pow(collateral.decimals()));
    }

    /** sqrt(token1 per token0, in base units) in Q64.96 for a Uniswap V3 pool at {@code price}. */
    public BigInteger sqrtPriceX96(BigDecimal price) {
        BigInteger num = loanPerCollateralToken(price);
        BigInteger den = BigInteger.TEN.pow(collateral.decimals());
        if (collateral.address().compareTo(loan.address()) > 0) { // the loan token is token0
            BigInteger t = num;
            num = den;
            den = t;
        }
        return num.shiftLeft(192).divide(den).sqrt();
    }
}
