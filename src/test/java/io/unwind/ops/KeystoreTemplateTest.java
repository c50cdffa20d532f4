package io.unwind.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.local.LocalChain;
import io.unwind.tx.Signer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * keystore-template/: the example config loads as `unwind run` would load it; the development keystore is what it says.
 */
@Tag("chain")
class KeystoreTemplateTest {
    private static final Path DIR = Tools.repo().resolve("keystore-template");

    @Test
    void theExampleConfigLoadsAndEnvironmentOverridesApply() {
        UnwindConfig c = ConfigLoader.load(DIR.resolve("unwind.example.yaml"), Map.of());
        assertThat(c.chain().id()).isEqualTo(1);
        assertThat(c.chain().endpoints()).hasSize(2);
        assertThat(c.keeper().keystore()).isPresent();
        UnwindConfig overridden = ConfigLoader.load(
                DIR.resolve("unwind.example.yaml"),
                Map.of(
                        "UNWIND_JOURNAL_URL",
                        "jdbc:postgresql://db:5432/unwind",
                        "UNWIND_GAS_STUCKAFTERBLOCKS",
                        "7", // a setting the file does not have, spelled in the variable's upper case
                        "UNWIND_CONFIG",
                        "/etc/unwind/unwind.yaml",
                        "UNWIND_LOG_FORMAT",
                        "json",
                        "UNWIND_DEBUG",
                        "1"));
        assertThat(overridden.journal().url()).isEqualTo("jdbc:postgresql://db:5432/unwind");
        assertThat(overridden.gas().stuckAfterBlocks()).isEqualTo(7);
    }

    @Test
    void theDevelopmentKeystoreIsAnvilsPublicAccount3UnderTheDocumentedPassword() throws Exception {
        Path dev = DIR.resolve("dev");
        String password =
                Files.readString(dev.resolve("password.DEVELOPMENT-ONLY.txt")).strip();
        assertThat(password).isEqualTo("unwind-development-only");
        assertThat(Files.readString(DIR.resolve("README.md")))
                .contains("`unwind-development-only`", "DEVELOPMENT ONLY", "Never fund");
        Signer s = Signer.fromKeystore(
                dev.resolve("anvil-account-3-keeper.DEVELOPMENT-ONLY.json"), password.toCharArray(), false);
        assertThat(s.address().hex())
                .isEqualTo(LocalChain.devAccount(3).getAddress().toLowerCase());
    }
}
