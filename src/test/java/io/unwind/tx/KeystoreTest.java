package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.local.LocalChain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;

/**
 * Keystores: what is refused and why, and that neither the password nor the key ever shows in a message, a log line or
 * the signer's text. Most keystores here are "light" (scrypt N = 2^12) to keep the suite quick; one test makes and
 * opens a standard one.
 */
@Tag("chain")
class KeystoreTest {
    // A throw-away key made up for this test; it has never held anything.
    private static final String KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private static final String PASSWORD = "correct horse battery staple 7";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void noSecretInAnyLogLine() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage());
            assertNoSecret(line);
        }
    }

    static void assertNoSecret(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        assertThat(lower)
                .doesNotContain(KEY_HEX)
                .doesNotContain(new BigInteger(KEY_HEX, 16).toString())
                .doesNotContain(PASSWORD.toLowerCase(Locale.ROOT));
    }

    private Path lightKeystore(String password) throws Exception {
        WalletFile w = Wallet.createLight(password, ECKeyPair.create(new BigInteger(KEY_HEX, 16)));
        Path file = dir.resolve("light-" + System.nanoTime() + ".json");
        JSON.writeValue(file.toFile(), w);
        return file;
    }

    private static String expectedAddress() {
        return "0x" + Keys.getAddress(ECKeyPair.create(new BigInteger(KEY_HEX, 16)));
    }

    private Path edited(Path file, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        Path out = dir.resolve("edited-" + System.nanoTime() + ".json");
        JSON.writeValue(out.toFile(), root);
        return out;
    }

    private static KeystoreException refused(Path file, String password, boolean allowWeak) {
        try {
            Signer.fromKeystore(file, password.toCharArray(), allowWeak);
        } catch (KeystoreException e) {
            assertNoSecret(e.getMessage());
            assertThat(e.getCause())
                    .as("no library exception (whose text might leak) is attached")
                    .isNull();
            return e;
        }
        throw new AssertionError("the keystore was accepted");
    }

    @Test
    void aLightKeystoreOpensOnlyWhenWeakParametersAreAllowed() throws Exception {
        Path file = lightKeystore(PASSWORD);
        assertThat(refused(file, PASSWORD, false).getMessage())
                .contains("weak scrypt parameters", "N = 2^12", "N >= 2^18", "allowWeakKdf", file.toString());
        Signer s = Signer.fromKeystore(file, PASSWORD.toCharArray(), true);
        assertThat(s.address().hex()).isEqualTo(expectedAddress());
        assertNoSecret(s.toString());
        assertThat(s.toString()).isEqualTo("Signer[" + expectedAddress() + "]");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutEchoingIt() throws Exception {
        Path file = lightKeystore(PASSWORD);
        KeystoreException e = refused(file, PASSWORD + "x", true);
        assertThat(e.getMessage())
                .contains("wrong password, or the file was altered", file.toString())
                .doesNotContain(PASSWORD + "x");
    }

    @Test
    void aTamperedMacIsRefused() throws Exception {
        Path file = edited(lightKeystore(PASSWORD), root -> {
            ObjectNode crypto = (ObjectNode) root.get("crypto");
            String mac = crypto.get("mac").asText();
            crypto.put("mac", (mac.charAt(0) == '0' ? "1" : "0") + mac.substring(1));
        });
        assertThat(refused(file, PASSWORD, true).getMessage()).contains("MAC does not match");
    }

    @Test
    void aTamperedCiphertextIsRefused() throws Exception {
        Path file = edited(lightKeystore(PASSWORD), root -> {
            ObjectNode crypto = (ObjectNode) root.get("crypto");
            String ct = crypto.get("ciphertext").asText();
            crypto.put("ciphertext", ct.substring(0, ct.length() - 1) + (ct.endsWith("0") ? "1" : "0"));
        });
        assertThat(refused(file, PASSWORD, true).getMessage()).contains("MAC does not match");
    }

    @Test
    void anAddressFieldThatIsNotTheKeysIsRefused() throws Exception {
        Path file = edited(
                lightKeystore(PASSWORD), root -> root.put("address", "70997970c51812dc3a010c7d01b50e0d17dc79c8"));
        assertThat(refused(file, PASSWORD, true).getMessage()).contains("names an address its key does not have");
    }

    @Test
    void unsupportedKeyDerivationsAndCiphersAreRefused() throws Exception {
        Path light = lightKeystore(PASSWORD);
        Path argon = edited(light, root -> ((ObjectNode) root.get("crypto")).put("kdf", "argon2id"));
        assertThat(refused(argon, PASSWORD, true).getMessage()).contains("'argon2id'", "does not support", "scrypt");

        Path pbkdf2 = edited(light, root -> {
            ObjectNode crypto = (ObjectNode) root.get("crypto");
            crypto.put("kdf", "pbkdf2");
            ObjectNode p = JSON.createObjectNode()
                    .put("c", 262144)
                    .put("dklen", 32)
                    .put("prf", "hmac-sha256")
                    .put("salt", crypto.get("kdfparams").get("salt").asText());
            crypto.set("kdfparams", p);
        });
        assertThat(refused(pbkdf2, PASSWORD, false).getMessage()).contains("PBKDF2", "allowWeakKdf");

        Path cbc = edited(light, root -> ((ObjectNode) root.get("crypto")).put("cipher", "aes-128-cbc"));
        assertThat(refused(cbc, PASSWORD, true).getMessage()).contains("aes-128-cbc", "only aes-128-ctr");

        Path v1 = edited(light, root -> root.put("version", 1));
        assertThat(refused(v1, PASSWORD, true).getMessage()).contains("version 1");
    }

    @Test
    void absurdScryptParametersAreRefusedBeforeAnyMemoryIsSpent() throws Exception {
        Path huge = edited(
                lightKeystore(PASSWORD),
                root -> ((ObjectNode) root.get("crypto").get("kdfparams")).put("n", 1 << 30));
        assertThat(refused(huge, PASSWORD, true).getMessage()).contains("too costly", "N = 2^30");
        Path odd = edited(
                lightKeystore(PASSWORD),
                root -> ((ObjectNode) root.get("crypto").get("kdfparams")).put("n", 3000));
        assertThat(refused(odd, PASSWORD, true).getMessage()).contains("invalid scrypt parameters");
    }

    @Test
    void aMissingOrGarbledFileSaysSo() throws Exception {
        assertThat(refused(dir.resolve("nope.json"), PASSWORD, true).getMessage())
                .contains("does not exist");
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{ not json");
        assertThat(refused(garbage, PASSWORD, true).getMessage()).contains("not valid JSON");
    }

    @Test
    void theToolMakesStandardPrivateKeystoresThatOpenWithoutAnyAllowance() throws Exception {
        KeystoreTool tool = new KeystoreTool(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
        Path file = tool.importKey(("0x" + KEY_HEX).toCharArray(), PASSWORD.toCharArray(), dir.resolve("keys"));

        assertThat(file.getFileName().toString())
                .isEqualTo("UTC--2026-03-04T05-06-07.000000000Z--"
                        + expectedAddress().substring(2) + ".json");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        var params = JSON.readTree(file.toFile()).get("crypto").get("kdfparams");
        assertThat(params.get("n").asInt()).isEqualTo(1 << 18);
        assertThat(params.get("r").asInt()).isEqualTo(8);
        assertThat(params.get("p").asInt()).isEqualTo(1);
        assertNoSecret(Files.readString(file));

        Signer s = Signer.fromKeystore(file, PASSWORD.toCharArray(), false);
        assertThat(s.address().hex()).isEqualTo(expectedAddress());
    }

    @Test
    void theToolReEncryptsAWeakKeystoreAndMakesNewKeys() throws Exception {
        KeystoreTool tool = new KeystoreTool(Clock.systemUTC());
        Path weak = lightKeystore(PASSWORD);
        Path strong =
                tool.importKeystore(weak, PASSWORD.toCharArray(), "new password 2".toCharArray(), dir.resolve("k"));
        assertThat(JSON.readTree(strong.toFile())
                        .get("crypto")
                        .get("kdfparams")
                        .get("n")
                        .asInt())
                .isEqualTo(1 << 18);
        assertThat(KeystoreReader.read(strong, false).getAddress())
                .isEqualTo(expectedAddress().substring(2));

        Path fresh = tool.create(dir.resolve("new"), PASSWORD.toCharArray());
        assertThat(KeystoreReader.read(fresh, false).getAddress())
                .hasSize(40)
                .isNotEqualTo(expectedAddress().substring(2));
    }

    @Test
    void theToolRefusesEmptyPasswordsAndThingsThatAreNotKeysWithoutEchoingThem() {
        KeystoreTool tool = new KeystoreTool(Clock.systemUTC());
        assertThatThrownBy(() -> tool.importKey(KEY_HEX.toCharArray(), new char[0], dir))
                .isInstanceOf(KeystoreException.class)
                .hasMessageContaining("must not be empty");
        String almost = KEY_HEX.substring(0, 63) + "z";
        assertThatThrownBy(() -> tool.importKey(almost.toCharArray(), PASSWORD.toCharArray(), dir))
                .isInstanceOf(KeystoreException.class)
                .hasMessageContaining("not hex")
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain(almost).doesNotContain(KEY_HEX.substring(0, 63)));
        assertThatThrownBy(() -> tool.importKey("00".repeat(32).toCharArray(), PASSWORD.toCharArray(), dir))
                .isInstanceOf(KeystoreException.class)
                .hasMessageContaining("secp256k1");
        assertThatThrownBy(() -> tool.importKey("abc".toCharArray(), PASSWORD.toCharArray(), dir))
                .isInstanceOf(KeystoreException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void developmentKeysSignOnlyForLocalChains() {
        assertThat(LocalChain.devSigner(0, 31337).address().hex())
                .isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
        assertThatThrownBy(() -> LocalChain.devSigner(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local chain")
                .hasMessageContaining("not chain 1");
        List.of(0, 1, 2)
                .forEach(i ->
                        assertThat(LocalChain.devSigner(i, 1337).toString()).startsWith("Signer[0x"));
    }
}
