package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which vault a command is about when none is named: the owner's only vault on the factory (the signer's for the
 * owner's commands; --owner's or the key's for a read), else, with no owner either, the only vault the config watches
 * (its list, or the factory's). One path for every command, so that they all find the same vault.
 */
final class VaultChoice {
    private VaultChoice() {}

    /**
     * @param named the vault the user named, if any
     * @param owner whose vault it is, if known
     * @param option how the user names a vault on this command ("--vault ADDRESS" or "VAULT"), for the errors
     */
    static Address resolve(
            ChainContext chain, Optional<Address> named, Optional<Address> owner, String option, PrintWriter err) {
        if (named.isPresent()) return named.get();
        if (owner.isPresent()) return ofOwner(chain, owner.get(), option, err);
        List<Address> watched = chain.watchedVaults();
        String where = chain.config.isPresent() && !chain.config.get().vaults().isEmpty()
                ? "the config lists"
                : "the factory has";
        if (watched.size() == 1) {
            err.println("unwind: vault " + watched.get(0) + " (the only vault " + where + ")");
            err.flush();
            return watched.get(0);
        }
        if (watched.isEmpty()) {
            throw new UserError(
                    ExitCodes.USAGE, "no vault to show: " + where + " none yet (create one: unwind vault create)");
        }
        throw new UserError(
                ExitCodes.USAGE,
                "which vault? " + where + " " + watched.size() + ": pass " + option
                        + ", or the owner (--owner ADDRESS, --dev-account N or --keystore FILE) to take the owner's only vault");
    }

    private static Address ofOwner(ChainContext chain, Address owner, String option, PrintWriter err) {
        List<Address> mine = chain.vaultsOf(owner);
        if (mine.size() == 1) {
            err.println("unwind: vault " + mine.get(0) + " (the only vault of " + owner + ")");
            err.flush();
            return mine.get(0);
        }
        if (mine.isEmpty()) {
            throw new UserError(
                    ExitCodes.USAGE,
                    owner + " owns no vault on the factory: create one (unwind vault create) or pass " + option);
        }
        throw new UserError(
                ExitCodes.USAGE,
                owner + " owns " + mine.size() + " vaults: pass " + option + ", one of\n" + list(mine));
    }

    /** Vaults one per line, oldest first (the factory's order), for an error or a warning. */
    static String list(List<Address> vaults) {
        return vaults.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
    }
}
