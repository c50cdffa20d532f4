package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata.Terms;
import java.math.BigInteger;

/**
 * Odos Router V2 {@code swap(tokenInfo, pathDefinition, executor, referralCode)}, tokenInfo being {@code (inputToken,
 * inputAmount, inputReceiver, outputToken, outputQuote, outputMin, outputReceiver)}, static, so inline. The router
 * sends the output to {@code outputReceiver} as written (0 is not the caller here). An {@code inputAmount} of 0 makes
 * it sell the caller's whole balance, which is not an amount the keeper can check, so it is refused.
 *
 * <p>{@code swapCompact()} packs its arguments and may take token and receiver addresses from a list in the router's
 * storage, so its terms cannot be read from the calldata alone: it is refused, and the client asks Odos for the
 * ABI-encoded form.
 */
final class OdosLayout {
    static final String SWAP =
            AbiWords.selector("swap((address,uint256,address,address,uint256,uint256,address),bytes,address,uint32)");
    static final String SWAP_COMPACT = AbiWords.selector("swapCompact()");

    private OdosLayout() {}

    static Terms swap(AbiWords a, Address sender) {
        a.need(10 * 32);
        a.bytes(a.tail(0, 224, "pathDefinition"), "pathDefinition");
        BigInteger amount = a.uint(32);
        if (amount.signum() == 0)
            throw new IllegalArgumentException("Odos swap with inputAmount 0 sells the sender's whole balance");
        return new Terms(a.address(0), a.address(96), amount, a.uint(160), a.address(192), 1);
    }

    static Terms swapCompact(AbiWords a, Address sender) {
        throw new IllegalArgumentException(
                "Odos swapCompact packs its arguments and may read addresses from the router's storage;"
                        + " only the ABI-encoded swap can be checked");
    }
}
