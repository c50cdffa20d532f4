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
 * configured fee tier, and exactInputSingle calldata with the vault as recipient for each configured router: the
 * original SwapRouter (venues {@code uniswap-v3-FEE}) and SwapRouter02 (venues {@code uniswap-v3-02-FEE}). Both routers
 * swap in the same pools, so a tier is quoted once and gives one quote per router; the vault's (router, selector)
 * allow-list then decides which of them a sale may take. A tier without a pool or liquidity makes the quoter revert:
 * that tier has no route.
 */
public final class UniswapV3Source implements RouteSource {
    /** The vault's own work around the swap (callback, Morpho repay/withdraw, checks), added to the quoter's gas. */
    static final long VAULT_OVERHEAD_GAS = 130_000;

    private final ContractCaller caller;
    private final Address quoter;
    private final List<UniswapV3Router> routers;
    private final List<Integer> feeTiers;

    /** Through the original SwapRouter only. */
    public UniswapV3Source(ContractCaller caller, Address quoter, Address router, List<Integer> feeTiers) {
        this(caller, quoter, List.of(UniswapV3Router.swapRouter(router)), feeTiers);
    }

    /** Through each of {@code routers}, every tier quoted once. */
    public UniswapV3Source(
            ContractCaller caller, Address quoter, List<UniswapV3Router> routers, List<Integer> feeTiers) {
        if (feeTiers.isEmpty()) throw new IllegalArgumentException("at least one fee tier");
        if (routers.isEmpty()) throw new IllegalArgumentException("at least one router");
        this.caller = caller;
        this.quoter = quoter;
        this.routers = List.copyOf(routers);
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
            for (UniswapV3Router router : routers) {
                quotes.add(new Quote(
                        router.kind().venue() + "-" + fee,
                        router.address(),
                        new Calldata(calldata(router.kind(), r, fee, minOut)),
                        r.sell().address(),
                        r.buy().address(),
                        r.amountIn(),
                        amountOut,
                        minOut,
                        gas + VAULT_OVERHEAD_GAS,
                        r.vault()));
            }
        }
        return quotes;
    }

    private static byte[] calldata(UniswapV3Router.Kind kind, QuoteRequest r, int fee, BigInteger minOut) {
        return switch (kind) {
            case SWAP_ROUTER ->
                UniswapCalldata.v3ExactInputSingle(
                        r.sell().address(),
                        r.buy().address(),
                        fee,
                        r.vault(),
                        BigInteger.valueOf(r.deadline().getEpochSecond()),
                        r.amountIn(),
                        minOut);
            case SWAP_ROUTER_02 ->
                UniswapCalldata.v3Router02ExactInputSingle(
                        r.sell().address(), r.buy().address(), fee, r.vault(), r.amountIn(), minOut);
        };
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
