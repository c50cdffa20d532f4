package io.unwind.app.cli;

import io.unwind.app.config.ConfigException;
import io.unwind.app.config.UnwindConfig;
import io.unwind.tx.Signer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

/** Opens the keeper's key as the configuration says; the password is read, used and wiped, never printed. */
final class Keys {
    private Keys() {}

    static Signer signer(UnwindConfig cfg) {
        var k = cfg.keeper();
        if (k.devAccount().isPresent()) return Signer.localDev(k.devAccount().get(), cfg.chain().id());
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
                String s = Files.readString(k.passwordFile().get());
                return s.strip().toCharArray();
            } catch (IOException e) {
                throw new ConfigException("keeper.passwordFile", "cannot read " + k.passwordFile().get() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        String env = k.passwordEnv().orElseThrow();
        String v = System.getenv(env);
        if (v == null) throw new ConfigException("keeper.passwordEnv", "the environment variable " + env + " is not set");
        return v.toCharArray();
    }
}
