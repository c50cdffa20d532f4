package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.UniswapCalldata;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads what a swap's calldata really does, for the router layouts Unwind knows, instead of believing the JSON
 * around it: which token it sells and buys, how much, the least it accepts, and who receives the proceeds.
 *
 * <p>Known: Uniswap V3 SwapRouter {@code exactInputSingle}, its {@code multicall(bytes[])} of such swaps (a split
 * across pools in one call), and Uniswap V2 {@code swapExactTokensForTokens}. For other layouts {@link #decode}
 * returns empty and the quote keeps what was asked; the simulation of the exact vault call and the vault's own
 * balance check then judge it.
 */
public final class SwapCalldata {
    /** SwapRouter (PeripheryPayments) multicall(bytes[]). */
    public static final String V3_MULTICALL = "0xac9650d8";
    private static final int MAX_LEGS = 8;

    private SwapCalldata() {}

    /** What a swap's calldata commits to. */
    public record Terms(Address tokenIn, Address tokenOut, BigInteger amountIn, BigInteger minOut, Address recipient, int legs) {}

    /**
     * @return the terms, or empty for a layout this class does not know
     * @throws IllegalArgumentException when the selector is known but the data does not fit it, or a split's legs
     *     disagree (different tokens or recipients, a leg that is not a swap)
     */
    public static Optional<Terms> decode(byte[] data) {
        if (data.length < 4) return Optional.empty();
        String selector = "0x" + HexFormat.of().formatHex(data, 0, 4);
        byte[] args = Arrays.copyOfRange(data, 4, data.length);
        return switch (selector) {
            case UniswapCalldata.V3_EXACT_INPUT_SINGLE -> Optional.of(v3Single(args));
            case UniswapCalldata.V2_SWAP_EXACT_TOKENS_FOR_TOKENS -> Optional.of(v2(args));
            case V3_MULTICALL -> Optional.of(multicall(args));
            default -> Optional.empty();
        };
    }

    private static Terms v3Single(byte[] a) {
        need(a, 8 * 32, "exactInputSingle");
        return new Terms(address(a, 0), address(a, 1), word(a, 5), word(a, 6), address(a, 3), 1);
    }

    private static Terms v2(byte[] a) {
        need(a, 6 * 32, "swapExactTokensForTokens");
        int pathAt = offset(a, 2, "path");
        need(a, pathAt + 32, "swapExactTokensForTokens path");
        int n = small(word(a, pathAt / 32), "path length");
        if (n < 2 || n > 4) throw new IllegalArgumentException("swapExactTokensForTokens path of " + n + " tokens");
        need(a, pathAt + 32 + n * 32, "swapExactTokensForTokens path");
        return new Terms(address(a, pathAt / 32 + 1), address(a, pathAt / 32 + n), word(a, 0), word(a, 1), address(a, 3), 1);
    }

    private static Terms multicall(byte[] a) {
        need(a, 64, "multicall");
        int arr = offset(a, 0, "calls");
        need(a, arr + 32, "multicall");
        int n = small(word(a, arr / 32), "call count");
        if (n < 1 || n > MAX_LEGS) throw new IllegalArgumentException("multicall of " + n + " calls");
        Terms sum = null;
        for (int i = 0; i < n; i++) {
            int at = arr + 32 + offset(Arrays.copyOfRange(a, arr + 32, a.length), i, "call " + i);
            need(a, at + 32, "multicall call " + i);
            int len = small(word(a, at / 32), "call length");
            need(a, at + 32 + len, "multicall call " + i);
            byte[] call = Arrays.copyOfRange(a, at + 32, at + 32 + len);
            if (len < 4 || !("0x" + HexFormat.of().formatHex(call, 0, 4)).equals(UniswapCalldata.V3_EXACT_INPUT_SINGLE)) {
                throw new IllegalArgumentException("multicall call " + i + " is not exactInputSingle");
            }
            Terms leg = v3Single(Arrays.copyOfRange(call, 4, call.length));
            if (sum == null) {
                sum = leg;
            } else {
                if (!leg.tokenIn().equals(sum.tokenIn()) || !leg.tokenOut().equals(sum.tokenOut())
                        || !leg.recipient().equals(sum.recipient())) {
                    throw new IllegalArgumentException("multicall legs disagree on tokens or recipient");
                }
                sum = new Terms(sum.tokenIn(), sum.tokenOut(), sum.amountIn().add(leg.amountIn()), sum.minOut().add(leg.minOut()),
                        sum.recipient(), sum.legs() + 1);
            }
        }
        return sum;
    }

    private static void need(byte[] a, int bytes, String what) {
        if (a.length < bytes) throw new IllegalArgumentException(what + " calldata too short: " + a.length + " bytes");
    }

    private static int offset(byte[] a, int wordIndex, String what) {
        need(a, (wordIndex + 1) * 32, what);
        int o = small(word(a, wordIndex), what + " offset");
        if (o % 32 != 0) throw new IllegalArgumentException(what + " offset " + o + " is not word-aligned");
        return o;
    }

    private static int small(BigInteger v, String what) {
        if (v.bitLength() > 24) throw new IllegalArgumentException(what + " too large: " + v);
        return v.intValue();
    }

    private static BigInteger word(byte[] a, int i) {
        return new BigInteger(1, Arrays.copyOfRange(a, i * 32, i * 32 + 32));
    }

    private static Address address(byte[] a, int i) {
        byte[] w = Arrays.copyOfRange(a, i * 32, i * 32 + 32);
        for (int k = 0; k < 12; k++) {
            if (w[k] != 0) throw new IllegalArgumentException("word " + i + " is not an address");
        }
        return Address.of("0x" + HexFormat.of().formatHex(w, 12, 32));
    }
}
