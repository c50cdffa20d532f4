package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata.Terms;

/**
 * 0x Swap API v2 through the AllowanceHolder: {@code exec(operator, token, amount, target, data)} lets {@code operator}
 * pull {@code amount} of {@code token} (the sell side) from the caller while it calls {@code target} with {@code data},
 * which must be Settler {@code execute((recipient, buyToken, minAmountOut) slippage, bytes[] actions, bytes32)} (the
 * buy side). The Settler sends its whole {@code buyToken} balance to {@code recipient}, taken literally (0 is not the
 * caller), after checking it is at least {@code minAmountOut}; with a zero buy token and minimum it checks nothing,
 * which the zero-floor and token checks then refuse. An operator that is not the called Settler could spend the
 * allowance outside the swap, so it is refused.
 */
final class ZeroExLayout {
    static final String EXEC = AbiWords.selector("exec(address,address,uint256,address,bytes)");
    static final String SETTLER_EXECUTE = AbiWords.selector("execute((address,address,uint256),bytes[],bytes32)");

    private ZeroExLayout() {}

    static Terms exec(AbiWords a, Address sender) {
        a.need(5 * 32);
        Address operator = a.address(0);
        Address target = a.address(96);
        if (!operator.equals(target)) {
            throw new IllegalArgumentException("AllowanceHolder lets " + operator + " spend but calls " + target);
        }
        byte[] inner = a.bytes(a.tail(0, 128, "data"), "data");
        if (!AbiWords.selectorOf(inner).equals(SETTLER_EXECUTE)) {
            throw new IllegalArgumentException(
                    "AllowanceHolder forwards " + AbiWords.selectorOf(inner) + ", not Settler execute");
        }
        AbiWords s = AbiWords.arguments(inner, "Settler execute").need(5 * 32);
        int actions = s.tail(0, 96, "actions");
        int n = s.count(actions, "actions");
        if (n == 0) throw new IllegalArgumentException("Settler execute has no actions");
        for (int i = 0; i < n; i++) s.bytes(s.tail(actions + 32, actions + 32 + 32 * i, "action " + i), "action " + i);
        return new Terms(a.address(32), s.address(32), a.uint(64), s.uint(64), s.address(0), 1);
    }
}
