package io.unwind.app.cli;

import io.unwind.local.LocalChain;
import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import io.unwind.tx.Signer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The owner's key for a vault command: a keystore with its password, or (local chains) an anvil account. */
public final class OwnerKeyOptions {
    @Option(names = "--keystore", paramLabel = "FILE", description = "The owner's keystore (Web3 Secret Storage, scrypt).")
    Path keystore;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the keystore's password.")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "NAME", description = "Environment variable holding the keystore's password.")
    String passwordEnv;

    @Option(names = "--dev-account", paramLabel = "N",
            description = "Sign with anvil's development account N (0-19; local chains only). On a devnet the owner is 2.")
    Integer devAccount;

    /**
     * The owner's address for a read, unlocking nothing: a development account's, or the address a keystore states.
     * Empty when no key option was given.
     */
    Optional<Address> address(long chainId) {
        if (keystore == null || devAccount != null) return devAccount == null ? Optional.empty() : Optional.of(signer(chainId).address());
        return Optional.of(Keys.statedAddress(keystore).orElseThrow(() -> new UserError(ExitCodes.USAGE, "the keystore " + keystore
                + " states no address, so whose vault to show is unknown without unlocking it: pass --owner ADDRESS or the vault")));
    }

    Signer signer(long chainId) {
        if (devAccount != null && keystore != null) {
            throw new UserError(ExitCodes.USAGE, "give either --keystore or --dev-account, not both");
        }
        if (devAccount != null) {
            if (devAccount < 0 || devAccount > 19) throw new UserError(ExitCodes.USAGE, "--dev-account must be 0..19, not " + devAccount);
            try {
                return LocalChain.devSigner(devAccount, chainId);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "--dev-account: " + e.getMessage());
            }
        }
        if (keystore == null) {
            throw new UserError(ExitCodes.USAGE, "this command signs a transaction: pass the owner's key with --keystore FILE "
                    + "(and --password-file or --password-env), or --dev-account N on a local chain");
        }
        char[] password = Passwords.read(passwordFile, passwordEnv, "password for " + keystore.getFileName(), "--password-file",
                "--password-env");
        try {
            return Signer.fromKeystore(keystore, password, false);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
