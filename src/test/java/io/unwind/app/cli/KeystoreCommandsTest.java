package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.local.LocalChain;
import io.unwind.tx.Signer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;

/**
 * keystore new, import and inspect: the files they write unlock as the key they claim, and no output shows a secret.
 */
@Tag("chain")
class KeystoreCommandsTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private Path passwordFile(String password) throws Exception {
        Path p = dir.resolve("pw-" + password.hashCode());
        Files.writeString(p, password + "\n");
        return p;
    }

    private static void noSecrets(Unwind.Run r, String... secrets) {
        for (String s : secrets) {
            assertThat(r.out()).doesNotContain(s);
            assertThat(r.err()).doesNotContain(s);
        }
    }

    @Test
    void newWritesAPrivateStandardKeystoreThatUnlocks() throws Exception {
        Unwind.Run r = Unwind.run(
                "keystore",
                "new",
                "--dir",
                dir.resolve("keys").toString(),
                "--password-file",
                passwordFile(PASSWORD).toString(),
                "--json");
        assertThat(r.exit()).as("%s", r).isZero();
        noSecrets(r, PASSWORD);
        Path file = Path.of(r.json().get("file").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String address = r.json().get("address").asText();
        assertThat(Signer.fromKeystore(file, PASSWORD.toCharArray(), false)
                        .address()
                        .hex())
                .isEqualTo(address);

        Unwind.Run inspect = Unwind.run(
                "keystore",
                "inspect",
                file.toString(),
                "--check-password",
                "--password-file",
                passwordFile(PASSWORD).toString());
        assertThat(inspect.exit()).as("%s", inspect).isZero();
        assertThat(inspect.out()).contains(address, "scrypt", "accepted", "owner only", "ok: unlocked " + address);
        noSecrets(inspect, PASSWORD);
    }

    @Test
    void importOfARawKeyGivesItsAddressAndNeverEchoesTheKey() throws Exception {
        String key = LocalChain.devAccount(3)
                .getEcKeyPair()
                .getPrivateKey()
                .toString(16); // anvil's public development key 3
        Path keyFile = dir.resolve("key.hex");
        Files.writeString(keyFile, "0x" + key + "\n");
        Unwind.Run r = Unwind.run(
                "keystore",
                "import",
                "--private-key-file",
                keyFile.toString(),
                "--dir",
                dir.toString(),
                "--password-file",
                passwordFile(PASSWORD).toString());
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out())
                .contains("imported keystore for "
                        + LocalChain.devAccount(3).getAddress().toLowerCase());
        noSecrets(r, key, PASSWORD);
    }

    @Test
    void aWeakCastStyleKeystoreIsFlaggedAndImportReencryptsIt() throws Exception {
        // scrypt N = 2^12: what "light" wallets use; Unwind refuses to run with it.
        WalletFile weak =
                Wallet.createLight("old password", LocalChain.devAccount(4).getEcKeyPair());
        Path weakFile = dir.resolve("weak.json");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(weakFile.toFile(), weak);
        Unwind.Run inspect = Unwind.run("keystore", "inspect", weakFile.toString(), "--json");
        assertThat(inspect.exit()).isZero();
        assertThat(inspect.json().get("verdict").asText()).contains("refused", "unwind keystore import");

        Unwind.Run imported = Unwind.run(
                "keystore",
                "import",
                "--from-keystore",
                weakFile.toString(),
                "--source-password-file",
                passwordFile("old password").toString(),
                "--dir",
                dir.resolve("strong").toString(),
                "--password-file",
                passwordFile(PASSWORD).toString(),
                "--json");
        assertThat(imported.exit()).as("%s", imported).isZero();
        Path strong = Path.of(imported.json().get("file").asText());
        assertThat(Unwind.run("keystore", "inspect", strong.toString(), "--json")
                        .json()
                        .get("verdict")
                        .asText())
                .startsWith("accepted");
        assertThat(Signer.fromKeystore(strong, PASSWORD.toCharArray(), false)
                        .address()
                        .hex())
                .isEqualTo(LocalChain.devAccount(4).getAddress().toLowerCase());
        noSecrets(imported, PASSWORD, "old password");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
        Unwind.Run made = Unwind.run(
                "keystore",
                "new",
                "--dir",
                dir.toString(),
                "--password-file",
                passwordFile(PASSWORD).toString(),
                "--json");
        Unwind.Run r = Unwind.run(
                "keystore",
                "inspect",
                made.json().get("file").asText(),
                "--check-password",
                "--password-file",
                passwordFile("not the password").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("wrong password");
        noSecrets(r, PASSWORD, "not the password");
        Unwind.Run noPassword =
                Unwind.run("keystore", "new", "--dir", dir.toString(), "--password-env", "UNWIND_TEST_SURELY_UNSET");
        assertThat(noPassword.exit()).isEqualTo(2);
        assertThat(noPassword.err()).contains("UNWIND_TEST_SURELY_UNSET is not set");
    }
}
