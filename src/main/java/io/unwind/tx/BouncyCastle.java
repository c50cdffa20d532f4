package io.unwind.tx;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Registers Bouncy Castle as a security provider, once, before any key is made or read. */
final class BouncyCastle {
    private BouncyCastle() {}

    static synchronized void register() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null)
            Security.addProvider(new BouncyCastleProvider());
    }
}
