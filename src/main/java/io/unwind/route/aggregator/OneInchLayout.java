package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata.Terms;

/**
 * 1inch AggregationRouterV6 (GenericRouter) {@code swap(executor, desc, data)}, desc being {@code (srcToken, dstToken,
 * srcReceiver, dstReceiver, amount, minReturnAmount, flags)}, all static, so inline after the executor. The router pays
 * {@code msg.sender} when {@code dstReceiver} is 0. Flag bit 0 ({@code _PARTIAL_FILL}) lets the router sell less than
 * {@code amount} and pro-rate the minimum: such a swap does not commit to the order's amount and is refused.
 */
final class OneInchLayout {
    static final String SWAP =
            AbiWords.selector("swap(address,(address,address,address,address,uint256,uint256,uint256),bytes)");

    private OneInchLayout() {}

    static Terms swap(AbiWords a, Address sender) {
        a.need(9 * 32);
        if (a.uint(224).testBit(0))
            throw new IllegalArgumentException("1inch swap with the partial-fill flag may sell less than its amount");
        a.bytes(a.tail(0, 256, "data"), "data");
        return new Terms(
                a.address(32),
                a.address(64),
                a.uint(160),
                a.uint(192),
                SwapCalldata.orSender(a.address(128), sender),
                1);
    }
}
