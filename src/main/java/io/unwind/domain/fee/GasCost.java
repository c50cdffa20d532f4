package io.unwind.domain.fee;

import io.unwind.domain.money.Token;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;

/** What gas costs, in wei and in loan-token base units. Rounded up: a cost is never understated. */
public final class GasCost {
    private static final BigInteger ONE_NATIVE = BigInteger.TEN.pow(18);

    private GasCost() {}

    public static Wei inWei(long gasUnits, Wei feePerGas) {
        if (gasUnits < 0) throw new IllegalArgumentException("gasUnits < 0");
        return feePerGas.times(gasUnits);
    }

    /**
     * {@code gasUnits x feePerGas x nativePrice / 1e18}, rounded up.
     *
     * @param nativePrice loan-token base units per 1e18 wei (one whole native coin), e.g. 3000e6 for ETH at 3,000 USDC
     */
    public static BigInteger inLoanUnits(long gasUnits, Wei feePerGas, BigInteger nativePrice) {
        if (nativePrice.signum() < 0) throw new IllegalArgumentException("nativePrice < 0");
        BigInteger[] qr =
                inWei(gasUnits, feePerGas).value().multiply(nativePrice).divideAndRemainder(ONE_NATIVE);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    /** {@code wei x nativePrice / 1e18}, rounded up: a fee paid in the native coin, in loan-token base units. */
    public static BigInteger weiInLoanUnits(Wei wei, BigInteger nativePrice) {
        if (nativePrice.signum() < 0) throw new IllegalArgumentException("nativePrice < 0");
        BigInteger[] qr = wei.value().multiply(nativePrice).divideAndRemainder(ONE_NATIVE);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    public static TokenAmount inLoanToken(long gasUnits, Wei feePerGas, BigInteger nativePrice, Token loanToken) {
        return loanToken.amount(inLoanUnits(gasUnits, feePerGas, nativePrice));
    }
}
