package io.unwind.app.cli;

import io.unwind.chain.VaultCalls;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.VaultFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * Explains revert data to an owner: the vault's and oracle's errors (as the keeper decodes them), the factory's, and
 * the standard ERC-20 errors a token raises when a balance or allowance is short, with a hint for the usual causes.
 */
final class Reverts {
    private static final Map<String, CustomError> OTHER = new HashMap<>();
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("NotOwner", "the signing key is not this vault's owner; sign with the owner's key"),
            Map.entry("WouldTrigger", "the position would be at or above the trigger LTV right away; borrow less or add collateral"),
            Map.entry("InvalidPolicy", "see the reason; `unwind policy set --help` lists the rules"),
            Map.entry("ForbiddenTarget", "a router must be a contract, and not a token, the market or the vault itself"),
            Map.entry("ZeroAmount", "the amount must be more than 0"),
            Map.entry("MarketNotCreated", "no Morpho market with these parameters exists; check --market-id or the deployment file"),
            Map.entry("ERC20InsufficientBalance", "the account holds less of the token than needed"),
            Map.entry("ERC20InsufficientAllowance", "the vault may not pull that much of the token; approve it first"));

    static {
        for (Class<?> c : List.of(TestToken.class, VaultFactory.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
                    try {
                        CustomError e = (CustomError) f.get(null);
                        OTHER.put(CustomErrorEncoder.encode(e).substring(0, 10), e);
                    } catch (IllegalAccessException ex) {
                        throw new ExceptionInInitializerError(ex);
                    }
                }
            }
        }
    }

    private Reverts() {}

    @SuppressWarnings({"rawtypes", "unchecked"})
    static String explain(byte[] data) {
        String text = VaultCalls.explain(data);
        if (text.startsWith("unknown error") && data.length >= 4) {
            CustomError e = OTHER.get(Numeric.toHexString(data, 0, 4, true));
            if (e != null) {
                List<Type> values = FunctionReturnDecoder.decode(Numeric.toHexString(data, 4, data.length - 4, false), (List) e.getParameters());
                text = e.getName() + "(" + values.stream().map(v -> String.valueOf(v.getValue())).collect(Collectors.joining(", ")) + ")";
            }
        }
        int paren = text.indexOf('(');
        String name = paren < 0 ? text : text.substring(0, paren);
        String hint = HINTS.get(name);
        return hint == null ? text : text + ": " + hint;
    }
}
