package io.unwind.route;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Token;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One sale to quote: sell {@code amountIn} of {@code sell} for {@code buy}, proceeds to {@code vault} (the swap's
 * sender and recipient), valid until {@code deadline}, priced at {@code block}. {@code slippageBps} is how far below
 * its own quote a source sets the swap's minimum output (never zero: no swap is sent without a floor).
 */
public record QuoteRequest(
        Address vault, Token sell, Token buy, BigInteger amountIn, TxHash block, Instant deadline, int slippageBps) {
    public QuoteRequest {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(sell, "sell");
        Objects.requireNonNull(buy, "buy");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(deadline, "deadline");
        if (amountIn.signum() <= 0) throw new IllegalArgumentException("amountIn must be > 0");
        if (slippageBps < 0 || slippageBps >= 10_000)
            throw new IllegalArgumentException("slippageBps must be in [0, 10000)");
    }

    public QuoteRequest withAmount(BigInteger amount) {
        return new QuoteRequest(vault, sell, buy, amount, block, deadline, slippageBps);
    }

    /** {@code out} less the slippage allowance, rounded down; at least 1 when {@code out} is positive. */
    public BigInteger minOut(BigInteger out) {
        BigInteger min = out.multiply(BigInteger.valueOf(10_000L - slippageBps)).divide(BigInteger.valueOf(10_000));
        return out.signum() > 0 && min.signum() == 0 ? BigInteger.ONE : min;
    }
}
