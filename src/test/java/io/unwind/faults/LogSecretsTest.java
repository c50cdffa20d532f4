package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.unwind.testing.MarketFixture;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The probe every fault test runs under ({@link Gauntlet} opens one for its lifetime): it must find a key or a password
 * however a line carries it, let ordinary lines through, and leave the logging as it found it.
 */
@Tag("chain")
class LogSecretsTest {
    private static final String PASSWORD = "Correct Horse 42";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("io.unwind.tx.SomeSender");

    private static LogSecrets probe() {
        return new LogSecrets(Map.of("the keystore password", PASSWORD));
    }

    @Test
    void aKeyInAnyFormAndAPasswordInAnExceptionsCauseAreFound() {
        BigInteger key = MarketFixture.KEEPER.getEcKeyPair().getPrivateKey();
        try (LogSecrets p = probe()) {
            LOG.info(
                    "signing with {}",
                    Numeric.toHexStringWithPrefixZeroPadded(key, 64).toUpperCase(java.util.Locale.ROOT));
            LOG.debug("key as a number {}", key);
            LOG.warn(
                    "unlock failed",
                    new IllegalStateException("outer", new RuntimeException("bad password " + PASSWORD)));
            // A transaction hash is 32 bytes of hex as a key is, and is no secret.
            LOG.info(
                    "vault 0xe082b26cef079a095147f35c9647ec97c2401b83 sent {}",
                    org.web3j.crypto.Hash.sha3String("a transaction"));

            assertThat(p.seen()).isEqualTo(4);
            assertThat(p.leaks())
                    .satisfiesExactly(
                            l -> assertThat(l)
                                    .startsWith(
                                            "INFO io.unwind.tx.SomeSender: the private key of development account 3 ("),
                            l -> assertThat(l)
                                    .startsWith(
                                            "DEBUG io.unwind.tx.SomeSender: the private key of development account 3 ("),
                            l -> assertThat(l).startsWith("WARN io.unwind.tx.SomeSender: the keystore password ("));
            assertThatThrownBy(p::assertNone)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("3 log line(s) carried a secret")
                    .hasMessageNotContaining(key.toString(16))
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void ordinaryLinesPassAndTheLoggingIsPutBack() {
        Logger unwind = (Logger) LoggerFactory.getLogger("io.unwind");
        Level before = unwind.getLevel();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        int consoleFilters =
                root.getAppender("OUT").getCopyOfAttachedFiltersList().size();
        try (LogSecrets p = probe()) {
            assertThat(unwind.getLevel()).isEqualTo(Level.DEBUG);
            LOG.info(
                    "tx#1 sent: attempt 1 (maxFee 10 gwei, tip 1 gwei) from 0x90f79bf6eb2c4f870365e785982e1f101e93b906");
            assertThat(p.seen()).isEqualTo(1);
            p.assertNone();
        }
        assertThat(unwind.getLevel()).isEqualTo(before);
        assertThat(root.getAppender("OUT").getCopyOfAttachedFiltersList()).hasSize(consoleFilters);
        assertThat(root.getAppender("log-secrets")).isNull();
    }
}
