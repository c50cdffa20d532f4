package io.unwind.chain;

import io.unwind.contracts.ChainlinkOracleAdapter;
import io.unwind.contracts.UnwindVault;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Encodes the vault's keeper calls and explains its reverts: every custom error of the vault and of the
 * oracle adapter (which a deleverage can bubble up) by name with its arguments, {@code Error(string)} by its
 * text, and anything else by its selector.
 */
public final class VaultCalls {
    private static final String ERROR_STRING = "0x08c379a0";
    private static final Map<String, CustomError> ERRORS = new HashMap<>();
    private static final String DELEVERAGE = selectorOf(deleverage(BigInteger.ZERO,
            Address.of("0x0000000000000000000000000000000000000000"), new byte[0], BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
    private static final String TOP_UP = selectorOf(topUp(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));

    static {
        for (Class<?> c : List.of(UnwindVault.class, ChainlinkOracleAdapter.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
                    try {
                        CustomError e = (CustomError) f.get(null);
                        ERRORS.put(CustomErrorEncoder.encode(e).substring(0, 10), e);
                    } catch (IllegalAccessException ex) {
                        throw new ExceptionInInitializerError(ex);
                    }
                }
            }
        }
    }

    private VaultCalls() {}

    public static byte[] deleverage(BigInteger collateralAmount, Address router, byte[] swapData, BigInteger minRepaid,
            BigInteger deadline, BigInteger keeperFee) {
        return encode(new Function("deleverage", List.of(new Uint256(collateralAmount),
                new org.web3j.abi.datatypes.Address(router.hex()), new DynamicBytes(swapData), new Uint256(minRepaid),
                new Uint256(deadline), new Uint256(keeperFee)), List.of()));
    }

    public static byte[] topUp(BigInteger amount, BigInteger deadline, BigInteger keeperFee) {
        return encode(new Function("topUp", List.of(new Uint256(amount), new Uint256(deadline), new Uint256(keeperFee)),
                List.of()));
    }

    private static String selectorOf(byte[] calldata) {
        return Numeric.toHexString(calldata, 0, 4, true);
    }

    private static byte[] encode(Function f) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
    }

    /** The custom error's name for revert data, or empty when it is not one of the vault's or oracle's errors. */
    public static java.util.Optional<String> errorName(byte[] revertData) {
        if (revertData.length < 4) return java.util.Optional.empty();
        CustomError e = ERRORS.get(Numeric.toHexString(revertData, 0, 4, true));
        return java.util.Optional.ofNullable(e).map(CustomError::getName);
    }

    /** A readable explanation of revert data: {@code BelowTrigger(7900..., 8000...)}, a reason string, or hex. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static String explain(byte[] revertData) {
        if (revertData.length < 4) return revertData.length == 0 ? "reverted without data" : Numeric.toHexString(revertData);
        String selector = Numeric.toHexString(revertData, 0, 4, true);
        String args = Numeric.toHexString(revertData, 4, revertData.length - 4, false);
        if (selector.equals(ERROR_STRING)) {
            List<Type> t = FunctionReturnDecoder.decode(args, List.of((TypeReference) new TypeReference<Utf8String>() {}));
            return t.isEmpty() ? "Error()" : "Error(\"" + t.get(0).getValue() + "\")";
        }
        CustomError e = ERRORS.get(selector);
        if (e == null) return "unknown error " + Numeric.toHexString(revertData);
        List<Type> values = FunctionReturnDecoder.decode(args, (List) e.getParameters());
        return e.getName() + "(" + values.stream().map(v -> {
            Object o = v.getValue();
            return o instanceof byte[] b ? Numeric.toHexString(b) : String.valueOf(o);
        }).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * A revert in words first, for operators, then exactly ({@link #explain}): "the vault is under its trigger (LTV
     * 76.41% < 80.00%) [BelowTrigger(...)]". Errors without words are given exactly.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static String explainInWords(byte[] revertData) {
        String exact = explain(revertData);
        if (revertData.length < 4) return exact;
        CustomError e = ERRORS.get(Numeric.toHexString(revertData, 0, 4, true));
        if (e == null) return exact;
        List<Type> v = FunctionReturnDecoder.decode(Numeric.toHexString(revertData, 4, revertData.length - 4, false),
                (List) e.getParameters());
        java.util.function.IntFunction<BigInteger> n = i -> (BigInteger) v.get(i).getValue();
        String words = switch (e.getName()) {
            case "NotKeeper" -> "this keeper is not allowed on the vault";
            case "IsPaused" -> "the owner paused keepers";
            case "Expired" -> "its deadline passed";
            case "PolicyNotSet" -> "the vault has no policy";
            case "BelowTrigger" -> "the vault is under its trigger (LTV " + Ltv.percent(n.apply(0)) + " < " + Ltv.percent(n.apply(1)) + ")";
            case "CoolingDown" -> "the vault is cooling down until " + java.time.Instant.ofEpochSecond(n.apply(0).longValueExact());
            case "SellTooLarge" -> "the sale is larger than the vault's per-call cap";
            case "RouteNotAllowed" -> "the owner does not allow this route";
            case "ForbiddenTarget" -> "the route calls a contract the vault forbids";
            case "ZeroAmount" -> "the amount is 0";
            case "InsufficientProceeds" -> "the sale brought less than the vault requires";
            case "InsufficientReserve" -> "the reserve holds less than the top-up and its fee";
            case "FeeTooHigh" -> "the keeper fee is above the vault's cap";
            case "Oversold" -> "it would leave LTV under the target band (" + Ltv.percent(n.apply(0)) + " < " + Ltv.percent(n.apply(1)) + ")";
            case "NotDeleveraged" -> "it would not lower the vault's debt and LTV";
            case "BadPrice" -> "the market's oracle price is 0";
            case "StalePrice" -> "the price feed is stale";
            default -> null;
        };
        return words == null ? exact : words + " [" + exact + "]";
    }

    /** The {@code deadline} argument of a deleverage or topUp call, if {@code calldata} is one. */
    public static java.util.Optional<java.time.Instant> deadline(byte[] calldata) {
        if (calldata.length < 4) return java.util.Optional.empty();
        String selector = Numeric.toHexString(calldata, 0, 4, true);
        // deleverage(collateralAmount, router, swapData, minRepaid, deadline, keeperFee): the fifth head word;
        // topUp(amount, deadline, keeperFee): the second.
        int word = selector.equals(DELEVERAGE) ? 4 : selector.equals(TOP_UP) ? 1 : -1;
        if (word < 0 || calldata.length < 4 + 32 * (word + 1)) return java.util.Optional.empty();
        BigInteger d = new BigInteger(1, java.util.Arrays.copyOfRange(calldata, 4 + 32 * word, 4 + 32 * (word + 1)));
        return d.bitLength() > 62 ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.ofEpochSecond(d.longValueExact()));
    }

    /** Bytes of an Error(string) for a message, for tests that want a reason-string revert. */
    static byte[] errorString(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
