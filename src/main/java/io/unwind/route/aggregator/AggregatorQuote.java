package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.domain.route.Calldata;
import io.unwind.domain.route.Quote;
import io.unwind.route.QuoteRequest;
import io.unwind.route.aggregator.AggregatorException.Kind;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Turns what a vendor answered into a {@link Quote}, believing as little of it as possible.
 *
 * <ul>
 *   <li>The swap must not ask for native value (the vault sells ERC-20 collateral and sends none).
 *   <li>Where the calldata's layout is known ({@link SwapCalldata}), the quote's tokens, amount, recipient and minimum
 *       are what the calldata says, not what the JSON says, so that the keeper's checks judge the real swap. A zero
 *       minimum is refused: no swap is sent without a floor.
 *   <li>Otherwise the minimum is the vendor's expectation less the slippage that was asked for (or 0x's own
 *       {@code minBuyAmount}), and the rest is the request; the simulation and the vault judge the calldata.
 * </ul>
 */
final class AggregatorQuote {
    /** The vault's own work around the swap (callback, Morpho repay and withdraw, checks), as for on-chain sources. */
    static final long VAULT_OVERHEAD_GAS = 130_000;

    private AggregatorQuote() {}

    static Quote of(
            String source,
            QuoteRequest r,
            Address router,
            byte[] data,
            BigInteger value,
            BigInteger expectedOut,
            Optional<BigInteger> vendorMin,
            long vendorGas) {
        if (value.signum() != 0) throw rejected(source, "the swap asks for " + value + " wei of native value");
        if (data.length < 4) throw rejected(source, "the swap has no calldata");
        if (expectedOut.signum() <= 0) throw rejected(source, "the quote expects nothing out");
        BigInteger askedMin = vendorMin.orElseGet(() -> r.minOut(expectedOut));
        if (askedMin.signum() <= 0) throw rejected(source, "the quote has a zero minimum output");
        Optional<SwapCalldata.Terms> terms;
        try {
            terms = SwapCalldata.decode(data, r.vault());
        } catch (IllegalArgumentException e) {
            throw rejected(source, "the calldata does not decode: " + e.getMessage());
        }
        long gas = (vendorGas > 0 ? vendorGas : 0) + VAULT_OVERHEAD_GAS;
        if (terms.isPresent()) {
            SwapCalldata.Terms t = terms.get();
            if (t.minOut().signum() == 0) throw rejected(source, "the calldata accepts a zero output");
            return new Quote(
                    source,
                    router,
                    new Calldata(data),
                    t.tokenIn(),
                    t.tokenOut(),
                    t.amountIn(),
                    expectedOut,
                    t.minOut(),
                    gas,
                    t.recipient());
        }
        return new Quote(
                source,
                router,
                new Calldata(data),
                r.sell().address(),
                r.buy().address(),
                r.amountIn(),
                expectedOut,
                askedMin,
                gas,
                r.vault());
    }

    static AggregatorException rejected(String source, String why) {
        return new AggregatorException(source, Kind.REJECTED, why);
    }
}
