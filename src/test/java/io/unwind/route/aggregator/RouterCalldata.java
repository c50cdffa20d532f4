package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.utils.Numeric;

/**
 * Calldata in each aggregator router's own layout, encoded by web3j from the router's ABI (the same signatures the
 * decoders' selectors are computed from). The recorded vendor answers under {@code aggregators/} carry calldata made
 * with these methods for the tests' own addresses; {@link RecordedAnswersTest} checks they still match, byte for byte.
 * The opaque parts (executor programs, path definitions, client data) are whatever bytes the caller passes.
 */
final class RouterCalldata {
    private RouterCalldata() {}

    /**
     * 1inch AggregationRouterV6 swap(executor, (src, dst, srcReceiver, dstReceiver, amount, minReturn, flags), data).
     */
    static byte[] oneInchSwap(
            Address executor,
            Address src,
            Address dst,
            Address srcReceiver,
            Address dstReceiver,
            BigInteger amount,
            BigInteger minReturn,
            BigInteger flags,
            byte[] data) {
        StaticStruct desc = new StaticStruct(
                addr(src), addr(dst), addr(srcReceiver), addr(dstReceiver), uint(amount), uint(minReturn), uint(flags));
        return encode("swap", addr(executor), desc, new DynamicBytes(data));
    }

    /** 0x AllowanceHolder exec(operator, token, amount, target, data). */
    static byte[] allowanceHolderExec(Address operator, Address token, BigInteger amount, Address target, byte[] data) {
        return encode("exec", addr(operator), addr(token), uint(amount), addr(target), new DynamicBytes(data));
    }

    /** 0x Settler execute((recipient, buyToken, minAmountOut), actions, zid). */
    static byte[] settlerExecute(
            Address recipient, Address buyToken, BigInteger minAmountOut, List<byte[]> actions, byte[] zid) {
        var list = new DynamicArray<>(
                DynamicBytes.class, actions.stream().map(DynamicBytes::new).toList());
        return encode(
                "execute",
                new StaticStruct(addr(recipient), addr(buyToken), uint(minAmountOut)),
                list,
                new Bytes32(zid));
    }

    /** Settler action TRANSFER_FROM(recipient, ((token, amount), nonce, deadline), sig). */
    static byte[] settlerTransferFrom(
            Address recipient, Address token, BigInteger amount, BigInteger nonce, BigInteger deadline, byte[] sig) {
        StaticStruct permit =
                new StaticStruct(new StaticStruct(addr(token), uint(amount)), uint(nonce), uint(deadline));
        return encode("TRANSFER_FROM", addr(recipient), permit, new DynamicBytes(sig));
    }

    /** Settler action UNISWAPV3(recipient, bps, path, amountOutMin). */
    static byte[] settlerUniswapV3(Address recipient, BigInteger bps, byte[] path, BigInteger amountOutMin) {
        return encode("UNISWAPV3", addr(recipient), uint(bps), new DynamicBytes(path), uint(amountOutMin));
    }

    /**
     * ParaSwap Augustus v6.2 swapExactAmountIn(executor, (src, dest, from, to, quoted, metadata, beneficiary),
     * partnerAndFee, permit, executorData).
     */
    static byte[] paraSwapExactAmountIn(
            Address executor,
            Address src,
            Address dest,
            BigInteger fromAmount,
            BigInteger toAmount,
            BigInteger quotedAmount,
            byte[] metadata,
            Address beneficiary,
            BigInteger partnerAndFee,
            byte[] permit,
            byte[] executorData) {
        StaticStruct data = new StaticStruct(
                addr(src),
                addr(dest),
                uint(fromAmount),
                uint(toAmount),
                uint(quotedAmount),
                new Bytes32(metadata),
                addr(beneficiary));
        return encode(
                "swapExactAmountIn",
                addr(executor),
                data,
                uint(partnerAndFee),
                new DynamicBytes(permit),
                new DynamicBytes(executorData));
    }

    /**
     * Odos Router V2 swap((input, inputAmount, inputReceiver, output, outputQuote, outputMin, outputReceiver), path,
     * executor, referral).
     */
    static byte[] odosSwap(
            Address input,
            BigInteger inputAmount,
            Address inputReceiver,
            Address output,
            BigInteger outputQuote,
            BigInteger outputMin,
            Address outputReceiver,
            byte[] pathDefinition,
            Address executor,
            long referralCode) {
        StaticStruct info = new StaticStruct(
                addr(input),
                uint(inputAmount),
                addr(inputReceiver),
                addr(output),
                uint(outputQuote),
                uint(outputMin),
                addr(outputReceiver));
        return encode(
                "swap",
                info,
                new DynamicBytes(pathDefinition),
                addr(executor),
                new Uint32(BigInteger.valueOf(referralCode)));
    }

    /** KyberSwap SwapDescriptionV2. */
    static DynamicStruct kyberDescription(
            Address src,
            Address dst,
            List<Address> srcReceivers,
            List<BigInteger> srcAmounts,
            List<Address> feeReceivers,
            List<BigInteger> feeAmounts,
            Address dstReceiver,
            BigInteger amount,
            BigInteger minReturn,
            BigInteger flags,
            byte[] permit) {
        return new DynamicStruct(
                addr(src),
                addr(dst),
                addresses(srcReceivers),
                uints(srcAmounts),
                addresses(feeReceivers),
                uints(feeAmounts),
                addr(dstReceiver),
                uint(amount),
                uint(minReturn),
                uint(flags),
                new DynamicBytes(permit));
    }

    /** KyberSwap MetaAggregationRouterV2 swap((callTarget, approveTarget, targetData, desc, clientData)). */
    static byte[] kyberSwap(
            Address callTarget, Address approveTarget, byte[] targetData, DynamicStruct desc, byte[] clientData) {
        return encode(
                "swap",
                new DynamicStruct(
                        addr(callTarget),
                        addr(approveTarget),
                        new DynamicBytes(targetData),
                        desc,
                        new DynamicBytes(clientData)));
    }

    /** KyberSwap MetaAggregationRouterV2 swapSimpleMode(caller, desc, executorData, clientData). */
    static byte[] kyberSwapSimpleMode(Address caller, DynamicStruct desc, byte[] executorData, byte[] clientData) {
        return encode(
                "swapSimpleMode", addr(caller), desc, new DynamicBytes(executorData), new DynamicBytes(clientData));
    }

    @SuppressWarnings("rawtypes")
    private static byte[] encode(String name, Type... args) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(name, List.of(args), List.of())));
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    private static Uint256 uint(BigInteger v) {
        return new Uint256(v);
    }

    private static DynamicArray<org.web3j.abi.datatypes.Address> addresses(List<Address> l) {
        return new DynamicArray<>(
                org.web3j.abi.datatypes.Address.class,
                l.stream().map(RouterCalldata::addr).toList());
    }

    private static DynamicArray<Uint256> uints(List<BigInteger> l) {
        return new DynamicArray<>(Uint256.class, l.stream().map(Uint256::new).toList());
    }
}
