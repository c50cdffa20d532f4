package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The vault a read-only command shows: VAULT, else the owner's only vault, the owner given as --owner or by the key
 * options the owner's commands take (a read needs only the address: a keystore is not unlocked, its stated address is
 * used), else the only vault the config watches. Found as {@link VaultChoice} finds every command's vault.
 */
final class ShownVault {
    @Parameters(
            paramLabel = "VAULT",
            arity = "0..1",
            description = "The vault's address (default: the owner's only vault).")
    Address vault;

    @Option(
            names = "--vault",
            paramLabel = "ADDRESS",
            description = "The vault's address, as the owner's commands take it (the same as VAULT).")
    Address vaultOption;

    @Option(
            names = "--owner",
            paramLabel = "ADDRESS",
            description = "Show this owner's vault (its only one on the factory); no key needed.")
    Address owner;

    @Mixin
    OwnerKeyOptions key;

    Address resolve(ChainContext chain, PrintWriter err) {
        if (vault != null && vaultOption != null && !vault.equals(vaultOption))
            throw new UserError(
                    ExitCodes.USAGE, "VAULT " + vault + " and --vault " + vaultOption + " differ: give one");
        Optional<Address> named = Optional.ofNullable(vault).or(() -> Optional.ofNullable(vaultOption));
        return VaultChoice.resolve(chain, named, owner(chain.chainId), "VAULT", err);
    }

    private Optional<Address> owner(long chainId) {
        Optional<Address> fromKey = key.address(chainId);
        if (owner == null) return fromKey;
        Address o = owner;
        if (fromKey.isPresent() && !fromKey.get().equals(o)) {
            throw new UserError(
                    ExitCodes.USAGE,
                    "--owner " + o + " is not the key's address " + fromKey.get() + ": give one of them");
        }
        return Optional.of(o);
    }
}
