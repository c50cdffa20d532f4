package io.unwind.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.config.ConfigException;
import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.tx.Signer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Opens the keeper's key as the configuration says; the password is read, used and wiped, never printed. */
final class Keys {
    private Keys() {}

    static Signer signer(UnwindConfig cfg) {
        var k = cfg.keeper();
        if (k.devAccount().isPresent())
            return LocalChain.devSigner(k.devAccount().get(), cfg.chain().id());
        char[] password = password(k);
        try {
            return Signer.fromKeystore(k.keystore().orElseThrow(), password, k.allowWeakKdf());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static char[] password(UnwindConfig.Key k) {
        if (k.passwordFile().isPresent()) {
            try {
                return Passwords.fromFile(k.passwordFile().get());
            } catch (IOException e) {
                throw new ConfigException(
                        "keeper.passwordFile",
                        "cannot read " + k.passwordFile().get() + " ("
                                + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "keeper.passwordFile", k.passwordFile().get() + ": " + e.getMessage());
            }
        }
        String env = k.passwordEnv().orElseThrow();
        String v = System.getenv(env);
        if (v == null)
            throw new ConfigException("keeper.passwordEnv", "the environment variable " + env + " is not set");
        return v.toCharArray();
    }

    /**
     * The keeper's address without unlocking anything: a development account's, or the address a keystore states
     * (checked against its key only when the keeper unlocks it).
     */
    static Optional<Address> address(UnwindConfig cfg) {
        var k = cfg.keeper();
        if (k.devAccount().isPresent())
            return Optional.of(
                    Address.of(LocalChain.devAccount(k.devAccount().get()).getAddress()));
        return k.keystore().flatMap(Keys::statedAddress);
    }

    /** The address field of a keystore file, if it has a valid one. */
    static Optional<Address> statedAddress(Path keystore) {
        try {
            JsonNode n = new ObjectMapper().readTree(keystore.toFile());
            String a = n == null ? null : n.path("address").asText(null);
            return a == null ? Optional.empty() : Optional.of(Address.of(a));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
