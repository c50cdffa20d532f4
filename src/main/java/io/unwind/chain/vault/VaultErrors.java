package io.unwind.chain.vault;

import io.unwind.contracts.ChainlinkOracleAdapter;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.position.Ltv;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.utils.Numeric;

/**
 * The one registry of custom errors, taken from the generated wrappers: the vault's, the oracle adapter's (a deleverage
 * can bubble them up), the factory's, and the standard ERC-20 errors a token raises when a balance or an allowance is
 * short. Explains revert data by error name with its arguments, {@code Error(string)} by its text, and anything else by
 * its bytes.
 */
public final class VaultErrors {
    private static final String ERROR_STRING = "0x08c379a0";
    private static final Map<String, CustomError> BY_SELECTOR = new HashMap<>();

    static {
        List<Class<?>> wrappers =
                List.of(UnwindVault.class, ChainlinkOracleAdapter.class, VaultFactory.class, TestToken.class);
        for (Class<?> c : wrappers) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
                    try {
                        CustomError e = (CustomError) f.get(null);
                        BY_SELECTOR.putIfAbsent(CustomErrorEncoder.encode(e).substring(0, 10), e);
                    } catch (IllegalAccessException ex) {
                        throw new ExceptionInInitializerError(ex);
                    }
                }
            }
        }
    }

    private VaultErrors() {}

    /** The custom error's name for revert data, or empty when it is none of the registered errors. */
    public static Optional<String> errorName(byte[] revertData) {
        return error(revertData).map(CustomError::getName);
    }

    /** A readable explanation of revert data: {@code BelowTrigger(7900..., 8000...)}, a reason string, or hex. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static String explain(byte[] revertData) {
        if (revertData.length < 4) {
            return revertData.length == 0 ? "reverted without data" : Numeric.toHexString(revertData);
        }
        String selector = Numeric.toHexString(revertData, 0, 4, true);
        if (selector.equals(ERROR_STRING)) {
            List<Type> t = FunctionReturnDecoder.decode(
                    arguments(revertData), List.of((TypeReference) new TypeReference<Utf8String>() {}));
            return t.isEmpty() ? "Error()" : "Error(\"" + t.get(0).getValue() + "\")";
        }
        Optional<CustomError> e = error(revertData);
        if (e.isEmpty()) return "unknown error " + Numeric.toHexString(revertData);
        return e.get().getName() + "("
                + values(revertData, e.get()).stream()
                        .map(v -> {
                            Object o = v.getValue();
                            return o instanceof byte[] b ? Numeric.toHexString(b) : String.valueOf(o);
                        })
                        .collect(Collectors.joining(", "))
                + ")";
    }

    /**
     * A revert in words first, for operators, then exactly ({@link #explain}): "the vault is under its trigger (LTV
     * 76.41% < 80.00%) [BelowTrigger(...)]". Errors without words are given exactly.
     */
    public static String explainInWords(byte[] revertData) {
        String exact = explain(revertData);
        Optional<CustomError> e = error(revertData);
        if (e.isEmpty()) return exact;
        List<Type<?>> v = values(revertData, e.get());
        IntFunction<BigInteger> n = i -> (BigInteger) v.get(i).getValue();
        String words = switch (e.get().getName()) {
            case "NotKeeper" -> "this keeper is not allowed on the vault";
            case "IsPaused" -> "the owner paused keepers";
            case "Expired" -> "its deadline passed";
            case "PolicyNotSet" -> "the vault has no policy";
            case "BelowTrigger" ->
                "the vault is under its trigger (LTV " + Ltv.percent(n.apply(0)) + " < " + Ltv.percent(n.apply(1))
                        + ")";
            case "CoolingDown" ->
                "the vault is cooling down until "
                        + Instant.ofEpochSecond(n.apply(0).longValueExact());
            case "SellTooLarge" -> "the sale is larger than the vault's per-call cap";
            case "RouteNotAllowed" -> "the owner does not allow this route";
            case "ForbiddenTarget" -> "the route calls a contract the vault forbids";
            case "ZeroAmount" -> "the amount is 0";
            case "InsufficientProceeds" -> "the sale brought less than the vault requires";
            case "InsufficientReserve" -> "the reserve holds less than the top-up and its fee";
            case "FeeTooHigh" -> "the keeper fee is above the vault's cap";
            case "Oversold" ->
                "it would leave LTV under the target band (" + Ltv.percent(n.apply(0)) + " < " + Ltv.percent(n.apply(1))
                        + ")";
            case "NotDeleveraged" -> "it would not lower the vault's debt and LTV";
            case "SoftActionIncomplete" ->
                "an early action (under the trigger, over the soft trigger) must end at or under the target (LTV "
                        + Ltv.percent(n.apply(0)) + " > " + Ltv.percent(n.apply(1)) + ")";
            case "InvalidPolicy" -> "the vault refused the rules: " + v.get(0).getValue();
            case "BadPrice" -> "the market's oracle price is 0";
            case "StalePrice" -> "the price feed is stale";
            default -> null;
        };
        return words == null ? exact : words + " [" + exact + "]";
    }

    private static Optional<CustomError> error(byte[] revertData) {
        if (revertData.length < 4) return Optional.empty();
        return Optional.ofNullable(BY_SELECTOR.get(Numeric.toHexString(revertData, 0, 4, true)));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Type<?>> values(byte[] revertData, CustomError e) {
        return (List) FunctionReturnDecoder.decode(arguments(revertData), e.getParameters());
    }

    private static String arguments(byte[] revertData) {
        return Numeric.toHexString(revertData, 4, revertData.length - 4, false);
    }
}
