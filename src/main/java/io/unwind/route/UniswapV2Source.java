package io.unwind.route;

import io.unwind.domain.chain.Address;
import io.unwind.domain.route.Calldata;
import io.unwind.domain.route.Quote;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Uniswap V2 (and forks with the same router): getAmountsOut for the direct pair, and swapExactTokensForTokens calldata
 * with the vault as recipient. A missing pair makes getAmountsOut revert.
 */
public final class UniswapV2Source implements RouteSource {
    /** A V2 swap through the router (~90k) plus the vault's own work around it. */
    static final long GAS = 90_000 + UniswapV3Source.VAULT_OVERHEAD_GAS;

    private final ContractCaller caller;
    private final Address router;

    public UniswapV2Source(ContractCaller caller, Address router) {
        this.caller = caller;
        this.router = router;
    }

    @Override
    public String name() {
        return "uniswap-v2";
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        List<Address> path = List.of(r.sell().address(), r.buy().address());
        Optional<byte[]> out = caller.call(router, amountsOutCall(r.amountIn(), path), r.block());
        if (out.isEmpty()) return List.of();
        byte[] d = out.get();
        // uint256[] return: offset, length, then one word per hop; the last is what arrives.
        if (d.length < 4 * 32) throw new SourceException(name(), "getAmountsOut returned " + d.length + " bytes");
        int n = UniswapV3Source.word(d, 1).intValueExact();
        if (n != 2 || d.length < (2 + n) * 32)
            throw new SourceException(name(), "getAmountsOut returned " + n + " amounts for a 1-hop path");
        BigInteger amountOut = UniswapV3Source.word(d, 3);
        if (amountOut.signum() == 0) return List.of();
        BigInteger minOut = r.minOut(amountOut);
        byte[] calldata = UniswapCalldata.v2SwapExactTokensForTokens(
                r.amountIn(),
                minOut,
                path,
                r.vault(),
                BigInteger.valueOf(r.deadline().getEpochSecond()));
        return List.of(new Quote(
                name(),
                router,
                new Calldata(calldata),
                r.sell().address(),
                r.buy().address(),
                r.amountIn(),
                amountOut,
                minOut,
                GAS,
                r.vault()));
    }

    private static byte[] amountsOutCall(BigInteger amountIn, List<Address> path) {
        var p = new DynamicArray<>(
                org.web3j.abi.datatypes.Address.class,
                path.stream()
                        .map(a -> new org.web3j.abi.datatypes.Address(a.hex()))
                        .toList());
        return Numeric.hexStringToByteArray(
                FunctionEncoder.encode(new Function("getAmountsOut", List.of(new Uint256(amountIn), p), List.of())));
    }
}
