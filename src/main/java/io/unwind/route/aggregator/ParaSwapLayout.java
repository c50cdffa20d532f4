package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata.Terms;

/**
 * ParaSwap (Velora) Augustus v6.2 {@code swapExactAmountIn(executor, swapData, partnerAndFee, permit, executorData)},
 * swapData being {@code (srcToken, destToken, fromAmount, toAmount, quotedAmount, metadata, beneficiary)}, all static,
 * so inline after the executor. {@code toAmount} is the minimum; a {@code beneficiary} of 0 means {@code msg.sender}
 * (the API leaves it 0 when the receiver is the user).
 */
final class ParaSwapLayout {
    static final String SWAP_EXACT_AMOUNT_IN = AbiWords.selector(
            "swapExactAmountIn(address,(address,address,uint256,uint256,uint256,bytes32,address),uint256,bytes,bytes)");

    private ParaSwapLayout() {}

    static Terms swapExactAmountIn(AbiWords a, Address sender) {
        a.need(11 * 32);
        a.bytes(a.tail(0, 288, "permit"), "permit");
        a.bytes(a.tail(0, 320, "executorData"), "executorData");
        return new Terms(
                a.address(32),
                a.address(64),
                a.uint(96),
                a.uint(128),
                SwapCalldata.orSender(a.address(224), sender),
                1);
    }
}
