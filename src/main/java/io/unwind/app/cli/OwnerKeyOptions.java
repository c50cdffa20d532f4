package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.tx.Signer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The owner's key for a vault command: a keystore with its password, or (local chains) an anvil account. */
public final class OwnerKeyOptions {
    /** A keystore or a development account, not both (picocli refuses both); null when neither was given. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Key key;

    /** The command this is mixed into: a missing key is a usage error of that command. */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    static final class Key {
        @ArgGroup(exclusive = false)
        Keystore keystore;

        @Option(
                names = "--dev-account",
                paramLabel = "N",
                converter = DevAccount.class,
                description = "Sign with anvil's development account N (0-19; local chains only). "
                        + "On a devnet the owner is 2.")
        Integer devAccount;
    }

    static final class Keystore {
        @Option(
                names = "--keystore",
                paramLabel = "FILE",
                required = true,
                description = "The owner's keystore (Web3 Secret Storage, scrypt).")
        Path file;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "File whose first line is the keystore's password.")
        Path passwordFile;

        @Option(
                names = "--password-env",
                paramLabel = "NAME",
                description = "Environment variable holding the keystore's password.")
        String passwordEnv;
    }

    /**
     * The owner's address for a read, unlocking nothing: a development account's, or the address a keystore states.
     * Empty when no key option was given.
     */
    Optional<Address> address(long chainId) {
        Path keystore = keystore().map(k -> k.file).orElse(null);
        Integer devAccount = key == null ? null : key.devAccount;
        if (keystore == null || devAccount != null)
            return devAccount == null
                    ? Optional.empty()
                    : Optional.of(signer(chainId).address());
        return Optional.of(
                Keys.statedAddress(keystore)
                        .orElseThrow(
                                () -> new UserError(
                                        ExitCodes.USAGE,
                                        "the keystore " + keystore
                                                + " states no address, so whose vault to show is unknown without unlocking it: pass --owner ADDRESS or the vault")));
    }

    private Optional<Keystore> keystore() {
        return Optional.ofNullable(key).map(k -> k.keystore);
    }

    Signer signer(long chainId) {
        Integer devAccount = key == null ? null : key.devAccount;
        if (devAccount != null) {
            try {
                return LocalChain.devSigner(devAccount, chainId);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "--dev-account: " + e.getMessage());
            }
        }
        if (keystore().isEmpty()) {
            throw Cli.usage(
                    spec,
                    "this command signs a transaction: pass the owner's key with --keystore FILE "
                            + "(and --password-file or --password-env), or --dev-account N on a local chain");
        }
        Keystore k = keystore().orElseThrow();
        char[] password = Passwords.read(
                k.passwordFile,
                k.passwordEnv,
                "password for " + k.file.getFileName(),
                "--password-file",
                "--password-env");
        try {
            return Signer.fromKeystore(k.file, password, false);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** anvil's development accounts are 0..19. */
    static final class DevAccount implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n < 0 || n > 19) throw new picocli.CommandLine.TypeConversionException("must be 0..19, not " + n);
            return n;
        }
    }
}
