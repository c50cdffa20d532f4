package io.unwind.domain.route;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One source's offer to sell collateral for the loan token, as its adapter understood it. Amounts in base units.
 *
 * @param source the source's name ("1inch", "uniswap-v3-500", ...)
 * @param router the contract the vault will call
 * @param calldata what the vault will call it with
 * @param sellToken the token the calldata sells
 * @param buyToken the token it buys
 * @param amountIn how much it sells
 * @param expectedOut how much it expects to deliver
 * @param minOut the least it delivers without reverting (its own slippage limit)
 * @param gasUnits the source's gas estimate for the swap (0 if it gave none)
 * @param recipient where the calldata sends the proceeds (must be the vault)
 */
public record Quote(
        String source,
        Address router,
        Calldata calldata,
        Address sellToken,
        Address buyToken,
        BigInteger amountIn,
        BigInteger expectedOut,
        BigInteger minOut,
        long gasUnits,
        Address recipient) {

    public Quote {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(calldata, "calldata");
        Objects.requireNonNull(sellToken, "sellToken");
        Objects.requireNonNull(buyToken, "buyToken");
        Objects.requireNonNull(amountIn, "amountIn");
        Objects.requireNonNull(expectedOut, "expectedOut");
        Objects.requireNonNull(minOut, "minOut");
        Objects.requireNonNull(recipient, "recipient");
        if (amountIn.signum() < 0 || expectedOut.signum() < 0 || minOut.signum() < 0 || gasUnits < 0) {
            throw new IllegalArgumentException("negative amount in a quote from " + source);
        }
    }
}
