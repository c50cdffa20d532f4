package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata.Terms;
import java.math.BigInteger;
import java.util.List;

/**
 * KyberSwap MetaAggregationRouterV2 {@code swap(execution)}, execution being the dynamic tuple {@code (callTarget,
 * approveTarget, targetData, desc, clientData)}, and {@code swapSimpleMode(caller, desc, executorData, clientData)}
 * (the API returns either). desc is {@code (srcToken, dstToken, srcReceivers[], srcAmounts[], feeReceivers[],
 * feeAmounts[], dstReceiver, amount, minReturnAmount, flags, permit)}. The router pays {@code msg.sender} when
 * {@code dstReceiver} is 0. Refused: flag {@code 0x01} (partial fill: it may sell less than {@code amount}), fees the
 * keeper never asked for (they are taken from the vault's collateral or proceeds), and source parts that do not add up
 * to {@code amount}.
 */
final class KyberSwapLayout {
    private static final String DESC =
            "(address,address,address[],uint256[],address[],uint256[],address,uint256,uint256,uint256,bytes)";
    static final String SWAP = AbiWords.selector("swap((address,address,bytes," + DESC + ",bytes))");
    static final String SWAP_SIMPLE_MODE = AbiWords.selector("swapSimpleMode(address," + DESC + ",bytes,bytes)");

    private KyberSwapLayout() {}

    static Terms swap(AbiWords a, Address sender) {
        int t = a.tail(0, 0, "execution");
        a.need(t + 5 * 32);
        a.bytes(a.tail(t, t + 64, "targetData"), "targetData");
        a.bytes(a.tail(t, t + 128, "clientData"), "clientData");
        return description(a, a.tail(t, t + 96, "desc"), sender);
    }

    static Terms swapSimpleMode(AbiWords a, Address sender) {
        a.need(4 * 32);
        a.bytes(a.tail(0, 64, "executorData"), "executorData");
        a.bytes(a.tail(0, 96, "clientData"), "clientData");
        return description(a, a.tail(0, 32, "desc"), sender);
    }

    private static Terms description(AbiWords a, int d, Address sender) {
        a.need(d + 11 * 32);
        List<Address> srcReceivers = a.addresses(a.tail(d, d + 64, "srcReceivers"), "srcReceivers");
        List<BigInteger> srcAmounts = a.uints(a.tail(d, d + 96, "srcAmounts"), "srcAmounts");
        int feeReceivers = a.count(a.tail(d, d + 128, "feeReceivers"), "feeReceivers");
        int feeAmounts = a.count(a.tail(d, d + 160, "feeAmounts"), "feeAmounts");
        a.bytes(a.tail(d, d + 320, "permit"), "permit");
        BigInteger amount = a.uint(d + 224);
        if (a.uint(d + 288).testBit(0))
            throw new IllegalArgumentException(
                    "KyberSwap swap with the partial-fill flag may sell less than its amount");
        if (feeReceivers != 0 || feeAmounts != 0) {
            throw new IllegalArgumentException(
                    "KyberSwap swap pays fees to " + feeReceivers + " receivers nobody asked for");
        }
        if (srcReceivers.size() != srcAmounts.size())
            throw new IllegalArgumentException("KyberSwap srcReceivers and srcAmounts differ in length");
        BigInteger parts = srcAmounts.stream().reduce(BigInteger.ZERO, BigInteger::add);
        if (!srcAmounts.isEmpty() && !parts.equals(amount)) {
            throw new IllegalArgumentException(
                    "KyberSwap source parts add up to " + parts + ", not the amount " + amount);
        }
        return new Terms(
                a.address(d),
                a.address(d + 32),
                amount,
                a.uint(d + 256),
                SwapCalldata.orSender(a.address(d + 192), sender),
                1);
    }
}
