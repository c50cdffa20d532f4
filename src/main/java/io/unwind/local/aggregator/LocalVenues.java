package io.unwind.local.aggregator;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.domain.chain.Address;
import io.unwind.local.MarketDeployment;
import io.unwind.local.MarketSpec;
import io.unwind.route.UniswapCalldata;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Uint160;
import org.web3j.abi.datatypes.generated.Uint24;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * The local market's pools as an aggregator sees them: quotes from the real QuoterV2 and V2 router (eth_call at the
 * latest block), the best single pool or the best two-way split across Uniswap V3 pools, and calldata for the local
 * routers that really executes: {@code exactInputSingle}, {@code swapExactTokensForTokens}, or SwapRouter's
 * {@code multicall} of exact-input swaps for a split.
 */
final class LocalVenues {
    /** Gas a router adds around a pool's swap (transfers, callback), on top of QuoterV2's estimate of the swap. */
    static final long V3_ROUTER_GAS = 40_000;

    static final long V2_SWAP_GAS = 95_000;
    static final long MULTICALL_GAS = 15_000;

    /** One pool's part of a route. */
    record Leg(MarketDeployment.Pool pool, BigInteger amountIn, BigInteger amountOut, long gas) {
        boolean v3() {
            return pool.dex().equals(MarketSpec.Dex.UNISWAP_V3.id());
        }
    }

    /** A route: one leg, or a split across V3 pools. */
    record Route(Address tokenIn, Address tokenOut, List<Leg> legs) {
        BigInteger amountIn() {
            return legs.stream().map(Leg::amountIn).reduce(BigInteger.ZERO, BigInteger::add);
        }

        BigInteger amountOut() {
            return legs.stream().map(Leg::amountOut).reduce(BigInteger.ZERO, BigInteger::add);
        }

        long gas() {
            return legs.stream().mapToLong(Leg::gas).sum() + (legs.size() > 1 ? MULTICALL_GAS : 0);
        }

        String describe() {
            return legs.stream()
                    .map(l -> l.pool().dex() + (l.v3() ? "-" + l.pool().fee() : "") + ":" + l.amountIn())
                    .toList()
                    .toString();
        }
    }

    private final ChainClient chain;
    private final MarketDeployment m;

    LocalVenues(ChainClient chain, MarketDeployment m) {
        this.chain = chain;
        this.m = m;
    }

    MarketDeployment market() {
        return m;
    }

    /** Whether the pair is the market's (either direction): the only one the local pools serve. */
    boolean serves(Address a, Address b) {
        Address c = m.collateral().address();
        Address l = m.loan().address();
        return (a.equals(c) && b.equals(l)) || (a.equals(l) && b.equals(c));
    }

    /**
     * The best route for selling {@code amountIn}; with {@code splitSteps} > 1, two-way V3 splits on a grid of that
     * many parts are tried too (10: 10/90 ... 90/10).
     */
    Optional<Route> best(Address in, Address out, BigInteger amountIn, int splitSteps) {
        if (!serves(in, out) || amountIn.signum() <= 0) return Optional.empty();
        Route best = null;
        List<MarketDeployment.Pool> v3 = new ArrayList<>();
        for (MarketDeployment.Pool p : m.pools()) {
            Optional<Leg> leg = leg(p, in, out, amountIn);
            if (leg.isPresent() && (best == null || leg.get().amountOut().compareTo(best.amountOut()) > 0)) {
                best = new Route(in, out, List.of(leg.get()));
            }
            if (p.dex().equals(MarketSpec.Dex.UNISWAP_V3.id())) v3.add(p);
        }
        if (splitSteps > 1 && v3.size() >= 2) {
            for (int i = 0; i < v3.size(); i++) {
                for (int j = i + 1; j < v3.size(); j++) {
                    for (int part = 1; part < splitSteps; part++) {
                        BigInteger a =
                                amountIn.multiply(BigInteger.valueOf(part)).divide(BigInteger.valueOf(splitSteps));
                        Optional<Leg> l1 = leg(v3.get(i), in, out, a);
                        Optional<Leg> l2 = leg(v3.get(j), in, out, amountIn.subtract(a));
                        if (l1.isEmpty() || l2.isEmpty()) continue;
                        Route r = new Route(in, out, List.of(l1.get(), l2.get()));
                        if (best == null || r.amountOut().compareTo(best.amountOut()) > 0) best = r;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<Leg> leg(MarketDeployment.Pool p, Address in, Address out, BigInteger amountIn) {
        if (amountIn.signum() <= 0) return Optional.empty();
        if (p.dex().equals(MarketSpec.Dex.UNISWAP_V3.id())) {
            StaticStruct params = new StaticStruct(
                    addr(in),
                    addr(out),
                    new Uint256(amountIn),
                    new Uint24(BigInteger.valueOf(p.fee())),
                    new Uint160(BigInteger.ZERO));
            Optional<byte[]> d = call(m.quoterV2(), new Function("quoteExactInputSingle", List.of(params), List.of()));
            if (d.isEmpty() || d.get().length < 128) return Optional.empty();
            BigInteger got = word(d.get(), 0);
            long gas = word(d.get(), 3).min(BigInteger.valueOf(5_000_000)).longValue() + V3_ROUTER_GAS;
            return got.signum() > 0 ? Optional.of(new Leg(p, amountIn, got, gas)) : Optional.empty();
        }
        var path = new DynamicArray<>(org.web3j.abi.datatypes.Address.class, addr(in), addr(out));
        Optional<byte[]> d = call(
                m.uniswapV2Router(), new Function("getAmountsOut", List.of(new Uint256(amountIn), path), List.of()));
        if (d.isEmpty() || d.get().length < 128) return Optional.empty();
        BigInteger got = word(d.get(), 3);
        return got.signum() > 0 ? Optional.of(new Leg(p, amountIn, got, V2_SWAP_GAS)) : Optional.empty();
    }

    /** The router the route's calldata is for. */
    Address router(Route r) {
        return r.legs().get(0).v3() ? m.swapRouter() : m.uniswapV2Router();
    }

    /**
     * Calldata for the route paying {@code recipient}, each leg's minimum its own output less {@code slippageBps} (at
     * least 1), valid until {@code deadline}.
     */
    byte[] calldata(Route r, Address recipient, int slippageBps, BigInteger deadline) {
        List<byte[]> calls = new ArrayList<>();
        for (Leg l : r.legs()) {
            BigInteger min = l.amountOut()
                    .multiply(BigInteger.valueOf(10_000L - slippageBps))
                    .divide(BigInteger.valueOf(10_000))
                    .max(BigInteger.ONE);
            calls.add(
                    l.v3()
                            ? UniswapCalldata.v3ExactInputSingle(
                                    r.tokenIn(), r.tokenOut(), l.pool().fee(), recipient, deadline, l.amountIn(), min)
                            : UniswapCalldata.v2SwapExactTokensForTokens(
                                    l.amountIn(), min, List.of(r.tokenIn(), r.tokenOut()), recipient, deadline));
        }
        if (calls.size() == 1) return calls.get(0);
        var bytes = new DynamicArray<>(
                DynamicBytes.class, calls.stream().map(DynamicBytes::new).toList());
        return Numeric.hexStringToByteArray(
                FunctionEncoder.encode(new Function("multicall", List.of(bytes), List.of())));
    }

    /** The minimum the route's calldata enforces at {@code slippageBps}. */
    static BigInteger minOut(Route r, int slippageBps) {
        return r.legs().stream()
                .map(l -> l.amountOut()
                        .multiply(BigInteger.valueOf(10_000L - slippageBps))
                        .divide(BigInteger.valueOf(10_000))
                        .max(BigInteger.ONE))
                .reduce(BigInteger.ZERO, BigInteger::add);
    }

    long blockNumber() {
        return chain.latestBlock().number();
    }

    long timestamp() {
        return chain.latestBlock().timestamp().getEpochSecond();
    }

    private Optional<byte[]> call(Address to, Function f) {
        return switch (chain.callLatest(null, to, Numeric.hexStringToByteArray(FunctionEncoder.encode(f)))) {
            case CallResult.Success s -> Optional.of(s.data());
            case CallResult.Reverted r -> Optional.empty();
        };
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    private static BigInteger word(byte[] d, int i) {
        return new BigInteger(1, Arrays.copyOfRange(d, i * 32, i * 32 + 32));
    }
}
