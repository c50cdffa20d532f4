package io.unwind.route;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Uint160;
import org.web3j.abi.datatypes.generated.Uint24;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** Calldata for the Uniswap routers' exact-input swaps, with the vault as recipient. */
public final class UniswapCalldata {
    /** SwapRouter.exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160)). */
    public static final String V3_EXACT_INPUT_SINGLE = "0x414bf389";
    /**
     * SwapRouter02.exactInputSingle((address,address,uint24,address,uint256,uint256,uint160)): the struct has no
     * deadline (SwapRouter02 takes one only through multicall(uint256,bytes[])); the vault's deleverage carries its
     * own.
     */
    public static final String V3_ROUTER02_EXACT_INPUT_SINGLE = "0x04e45aaf";
    /** UniswapV2Router02.swapExactTokensForTokens(uint256,uint256,address[],address,uint256). */
    public static final String V2_SWAP_EXACT_TOKENS_FOR_TOKENS = "0x38ed1739";

    private UniswapCalldata() {}

    /**
     * The same swap with its own minimum output set to {@code minOut}, for the single-call layouts whose minimum sits
     * at a fixed word (SwapRouter's and SwapRouter02's exactInputSingle {@code amountOutMinimum},
     * swapExactTokensForTokens' {@code amountOutMin}); empty for anything else (a multicall, an aggregator's calldata),
     * which is never rewritten.
     */
    public static java.util.Optional<byte[]> withMinOut(byte[] swap, BigInteger minOut) {
        if (swap.length < 4 || minOut.signum() < 0 || minOut.bitLength() > 256) return java.util.Optional.empty();
        String selector = Numeric.toHexString(swap, 0, 4, true);
        int word;
        if (selector.equals(V3_EXACT_INPUT_SINGLE) && swap.length == 4 + 8 * 32) {
            word = 6;
        } else if (selector.equals(V3_ROUTER02_EXACT_INPUT_SINGLE) && swap.length == 4 + 7 * 32) {
            word = 5;
        } else if (selector.equals(V2_SWAP_EXACT_TOKENS_FOR_TOKENS) && swap.length >= 4 + 5 * 32) {
            word = 1;
        } else {
            return java.util.Optional.empty();
        }
        byte[] out = swap.clone();
        byte[] value = Numeric.toBytesPadded(minOut, 32);
        System.arraycopy(value, 0, out, 4 + 32 * word, 32);
        return java.util.Optional.of(out);
    }

    public static byte[] v3ExactInputSingle(
            Address tokenIn,
            Address tokenOut,
            int fee,
            Address recipient,
            BigInteger deadline,
            BigInteger amountIn,
            BigInteger amountOutMinimum) {
        StaticStruct params = new StaticStruct(
                new org.web3j.abi.datatypes.Address(tokenIn.hex()),
                new org.web3j.abi.datatypes.Address(tokenOut.hex()),
                new Uint24(BigInteger.valueOf(fee)),
                new org.web3j.abi.datatypes.Address(recipient.hex()),
                new Uint256(deadline),
                new Uint256(amountIn),
                new Uint256(amountOutMinimum),
                new Uint160(BigInteger.ZERO));
        return Numeric.hexStringToByteArray(
                FunctionEncoder.encode(new Function("exactInputSingle", List.of(params), List.of())));
    }

    /** SwapRouter02's exactInputSingle: SwapRouter's without the deadline, no price limit. */
    public static byte[] v3Router02ExactInputSingle(
            Address tokenIn,
            Address tokenOut,
            int fee,
            Address recipient,
            BigInteger amountIn,
            BigInteger amountOutMinimum) {
        StaticStruct params = new StaticStruct(
                new org.web3j.abi.datatypes.Address(tokenIn.hex()),
                new org.web3j.abi.datatypes.Address(tokenOut.hex()),
                new Uint24(BigInteger.valueOf(fee)),
                new org.web3j.abi.datatypes.Address(recipient.hex()),
                new Uint256(amountIn),
                new Uint256(amountOutMinimum),
                new Uint160(BigInteger.ZERO));
        return Numeric.hexStringToByteArray(
                FunctionEncoder.encode(new Function("exactInputSingle", List.of(params), List.of())));
    }

    public static byte[] v2SwapExactTokensForTokens(
            BigInteger amountIn, BigInteger amountOutMin, List<Address> path, Address to, BigInteger deadline) {
        var p = new DynamicArray<>(
                org.web3j.abi.datatypes.Address.class,
                path.stream()
                        .map(a -> new org.web3j.abi.datatypes.Address(a.hex()))
                        .toList());
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(
                "swapExactTokensForTokens",
                List.of(
                        new Uint256(amountIn),
                        new Uint256(amountOutMin),
                        p,
                        new org.web3j.abi.datatypes.Address(to.hex()),
                        new Uint256(deadline)),
                List.of())));
    }
}
