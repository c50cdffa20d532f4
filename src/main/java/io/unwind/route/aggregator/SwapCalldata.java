package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.UniswapCalldata;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a swap's calldata really does, in the layout of the router it is written for, instead of believing the
 * JSON around it: which token it sells and buys, how much, the least it accepts, and who receives the proceeds.
 *
 * <p>Known, one class per router family: Uniswap V3 {@code exactInputSingle} and its {@code multicall}, SwapRouter02's
 * {@code exactInputSingle}, Uniswap V2 {@code swapExactTokensForTokens} ({@link UniswapLayout}); 1inch
 * AggregationRouterV6 {@code swap} ({@link OneInchLayout}); 0x AllowanceHolder {@code exec} of a Settler
 * {@code execute} ({@link ZeroExLayout}); ParaSwap Augustus v6.2 {@code swapExactAmountIn} ({@link ParaSwapLayout});
 * Odos Router V2 {@code swap}, and its {@code swapCompact} refused ({@link OdosLayout}); KyberSwap
 * MetaAggregationRouterV2 {@code swap} and {@code swapSimpleMode} ({@link KyberSwapLayout}). For other selectors
 * {@link #decode} returns empty and the quote keeps what was asked; the vault's (router, selector) allow-list, the
 * simulation of the exact vault call and the vault's own balance check then judge it.
 */
public final class SwapCalldata {
    /** SwapRouter (PeripheryPayments) multicall(bytes[]). */
    public static final String V3_MULTICALL = "0xac9650d8";

    /** Reads one entry point's arguments; {@code sender} is who calls the router (the vault). */
    @FunctionalInterface
    private interface Layout {
        Terms read(AbiWords args, Address sender);
    }

    private static final Map<String, Layout> LAYOUTS = Map.ofEntries(
            Map.entry(UniswapCalldata.V3_EXACT_INPUT_SINGLE, UniswapLayout::exactInputSingle),
            Map.entry(UniswapCalldata.V3_ROUTER02_EXACT_INPUT_SINGLE, UniswapLayout::exactInputSingle02),
            Map.entry(UniswapCalldata.V2_SWAP_EXACT_TOKENS_FOR_TOKENS, UniswapLayout::swapExactTokensForTokens),
            Map.entry(V3_MULTICALL, UniswapLayout::multicall),
            Map.entry(OneInchLayout.SWAP, OneInchLayout::swap),
            Map.entry(ZeroExLayout.EXEC, ZeroExLayout::exec),
            Map.entry(ParaSwapLayout.SWAP_EXACT_AMOUNT_IN, ParaSwapLayout::swapExactAmountIn),
            Map.entry(OdosLayout.SWAP, OdosLayout::swap),
            Map.entry(OdosLayout.SWAP_COMPACT, OdosLayout::swapCompact),
            Map.entry(KyberSwapLayout.SWAP, KyberSwapLayout::swap),
            Map.entry(KyberSwapLayout.SWAP_SIMPLE_MODE, KyberSwapLayout::swapSimpleMode));

    private SwapCalldata() {}

    /** What a swap's calldata commits to. */
    public record Terms(
            Address tokenIn, Address tokenOut, BigInteger amountIn, BigInteger minOut, Address recipient, int legs) {}

    /**
     * @param sender the router's caller: where routers that read a zero recipient as {@code msg.sender} pay
     * @return the terms, or empty for a layout this class does not know
     * @throws IllegalArgumentException when the selector is known but the data does not fit it, a split's legs disagree
     *     (different tokens or recipients, a leg that is not a swap), or the call is of a kind that cannot be checked
     *     (a partial fill, unasked-for fees, Odos' packed form)
     */
    public static Optional<Terms> decode(byte[] data, Address sender) {
        Layout layout = LAYOUTS.get(AbiWords.selectorOf(data));
        if (layout == null) return Optional.empty();
        return Optional.of(layout.read(AbiWords.arguments(data, AbiWords.selectorOf(data)), sender));
    }

    /** {@code recipient}, or {@code sender} where it is 0: the routers that document 0 as "the caller". */
    static Address orSender(Address recipient, Address sender) {
        return recipient.isZero() ? sender : recipient;
    }
}
