package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.UniswapCalldata;
import io.unwind.route.aggregator.SwapCalldata.Terms;

/**
 * The Uniswap routers' exact-input swaps: V3 SwapRouter {@code exactInputSingle}, its {@code multicall(bytes[])} of
 * such swaps (a split across pools in one call), SwapRouter02's {@code exactInputSingle}, and V2
 * {@code swapExactTokensForTokens}. The recipient is literal, except that SwapRouter02 reads address 1 as its caller
 * (and address 2 as itself, which is then the recipient read: never the vault).
 */
final class UniswapLayout {
    private static final int MAX_LEGS = 8;
    /** SwapRouter02's Constants.MSG_SENDER: a recipient of address 1 means whoever called the router. */
    private static final Address MSG_SENDER = Address.of("0x0000000000000000000000000000000000000001");

    private UniswapLayout() {}

    /**
     * exactInputSingle((tokenIn, tokenOut, fee, recipient, deadline, amountIn, amountOutMinimum, sqrtPriceLimitX96)).
     */
    static Terms exactInputSingle(AbiWords a, Address sender) {
        a.need(8 * 32);
        return new Terms(a.address(0), a.address(32), a.uint(160), a.uint(192), a.address(96), 1);
    }

    /**
     * SwapRouter02's exactInputSingle((tokenIn, tokenOut, fee, recipient, amountIn, amountOutMinimum,
     * sqrtPriceLimitX96)).
     */
    static Terms exactInputSingle02(AbiWords a, Address sender) {
        a.need(7 * 32);
        Address recipient = a.address(96);
        if (recipient.equals(MSG_SENDER)) recipient = sender;
        return new Terms(a.address(0), a.address(32), a.uint(128), a.uint(160), recipient, 1);
    }

    /** swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline). */
    static Terms swapExactTokensForTokens(AbiWords a, Address sender) {
        a.need(5 * 32);
        var path = a.addresses(a.tail(0, 64, "path"), "path");
        if (path.size() < 2 || path.size() > 4)
            throw new IllegalArgumentException("swapExactTokensForTokens path of " + path.size() + " tokens");
        return new Terms(path.get(0), path.get(path.size() - 1), a.uint(0), a.uint(32), a.address(96), 1);
    }

    /**
     * multicall(bytes[]) whose every call is an exactInputSingle with the same tokens and recipient: the legs add up.
     */
    static Terms multicall(AbiWords a, Address sender) {
        int calls = a.tail(0, 0, "calls");
        int n = a.count(calls, "calls");
        if (n < 1 || n > MAX_LEGS) throw new IllegalArgumentException("multicall of " + n + " calls");
        Terms sum = null;
        for (int i = 0; i < n; i++) {
            byte[] call = a.bytes(a.tail(calls + 32, calls + 32 + 32 * i, "call " + i), "call " + i);
            if (!AbiWords.selectorOf(call).equals(UniswapCalldata.V3_EXACT_INPUT_SINGLE)) {
                throw new IllegalArgumentException("multicall call " + i + " is not exactInputSingle");
            }
            Terms leg = exactInputSingle(AbiWords.arguments(call, "exactInputSingle"), sender);
            if (sum == null) {
                sum = leg;
            } else {
                if (!leg.tokenIn().equals(sum.tokenIn())
                        || !leg.tokenOut().equals(sum.tokenOut())
                        || !leg.recipient().equals(sum.recipient())) {
                    throw new IllegalArgumentException("multicall legs disagree on tokens or recipient");
                }
                sum = new Terms(
                        sum.tokenIn(),
                        sum.tokenOut(),
                        sum.amountIn().add(leg.amountIn()),
                        sum.minOut().add(leg.minOut()),
                        sum.recipient(),
                        sum.legs() + 1);
            }
        }
        return sum;
    }
}
