package io.unwind.app.cli;

import io.unwind.chain.vault.VaultErrors;
import java.util.Map;

/**
 * Explains revert data to an owner: the contract's error as the keeper decodes it ({@link VaultErrors}), with a hint
 * for the usual causes.
 */
final class Reverts {
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("NotOwner", "the signing key is not this vault's owner; sign with the owner's key"),
            Map.entry(
                    "WouldTrigger",
                    "the position would be at or above the trigger LTV right away; borrow less or add collateral"),
            Map.entry("InvalidPolicy", "see the reason; `unwind policy set --help` lists the rules"),
            Map.entry(
                    "ForbiddenTarget", "a router must be a contract, and not a token, the market or the vault itself"),
            Map.entry("ZeroAmount", "the amount must be more than 0"),
            Map.entry(
                    "MarketNotCreated",
                    "no Morpho market with these parameters exists; check --market-id or the deployment file"),
            Map.entry("ERC20InsufficientBalance", "the account holds less of the token than needed"),
            Map.entry("ERC20InsufficientAllowance", "the vault may not pull that much of the token; approve it first"));

    private Reverts() {}

    static String explain(byte[] data) {
        String text = VaultErrors.explain(data);
        String hint = VaultErrors.errorName(data).map(HINTS::get).orElse(null);
        return hint == null ? text : text + ": " + hint;
    }
}
