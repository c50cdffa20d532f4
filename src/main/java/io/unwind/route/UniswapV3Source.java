package io.unwind.route;

import io.unwind.domain.chain.Address;
import io.unwind.domain.route.Calldata;
import io.unwind.domain.route.Quote;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Uint160;
import org.web3j.abi.datatypes.generated.Uint24;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Uniswap V3 through QuoterV2 (quoteExactInputSingle, called with eth_call: it is not a view function) for each
 * configured fee tier, and SwapRouter.exactInputSingle calldata with the vault as recipient. A tier without a pool or
 * liquidity makes the quoter revert: that tier has no route.
 */
public final class UniswapV3Source implements RouteSource {
    /** The vault's own work around the swap (callback, Morpho repay/withdraw, checks), added to the quoter's gas. */
    static final long VAULT_OVERHEAD_GAS = 130_000;

    private final ContractCaller caller;
    private final Address quoter;
    private final Address router;
    private final List<Integer> feeTiers;

    public UniswapV3Source(ContractCaller caller, Address quoter, Address router, List<Integer> feeTiers) {
        if (feeTiers.isEmpty()) throw new IllegalArgumentException("at least one fee tier");
        this.caller = caller;
        this.quoter = quoter;
        this.router = router;
        this.feeTiers = List.copyOf(feeTiers);
    }

    @Override
    public String name() {
        return "uniswap-v3";
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        List<Quote> quotes = new ArrayList<>();
        for (int fee : feeTiers) {
            Optional<byte[]> out = caller.call(quoter, quoteCall(r, fee), r.block());
            if (out.isEmpty()) continue; // no pool or no liquidity at this tier
            byte[] d = out.get();
            if (d.length < 128) throw new SourceException(name(), "QuoterV2 returned " + d.length + " bytes");
            BigInteger amountOut = word(d, 0);
            long gas = word(d, 3).min(BigInteger.valueOf(10_000_000)).longValue();
            if (amountOut.signum() == 0) continue;
            BigInteger minOut = r.minOut(amountOut);
            byte[] calldata = UniswapCalldata.v3ExactInputSingle(
                    r.sell().address(),
                    r.buy().address(),
                    fee,
                    r.vault(),
                    BigInteger.valueOf(r.deadline().getEpochSecond()),
                    r.amountIn(),
                    minOut);
            quotes.add(new Quote(
                    name() + "-" + fee,
                    router,
                    new Calldata(calldata),
                    r.sell().address(),
                    r.buy().address(),
                    r.amountIn(),
                    amountOut,
                    minOut,
                    gas + VAULT_OVERHEAD_GAS,
                    r.vault()));
        }
        return quotes;
    }

    private static byte[] quoteCall(QuoteRequest r, int fee) {
        StaticStruct params = new StaticStruct(
                new org.web3j.abi.datatypes.Address(r.sell().address().hex()),
                new org.web3j.abi.datatypes.Address(r.buy().address().hex()),
                new Uint256(r.amountIn()),
                new Uint24(BigInteger.valueOf(fee)),
                new Uint160(BigInteger.ZERO));
        return Numeric.hexStringToByteArray(
                FunctionEncoder.encode(new Function("quoteExactInputSingle", List.of(params), List.of())));
    }

    static BigInteger word(byte[] d, int i) {
        return new BigInteger(1, Arrays.copyOfRange(d, i * 32, i * 32 + 32));
    }
}
