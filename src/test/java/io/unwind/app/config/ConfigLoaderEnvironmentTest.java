package io.unwind.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environment overrides: only UNWIND_ variables that name a section are settings; the launcher's and the test harness's
 * own variables are never read as config; a wrong override is reported with its variable.
 */
@Tag("pure")
class ConfigLoaderEnvironmentTest {
    private static final String BASE = MinimalConfig.YAML;

    @TempDir
    Path dir;

    @Test
    void theLaunchersAndTheHarnesssVariablesAreNotSettings() throws IOException {
        Map<String, String> env = Map.of(
                "UNWIND_FORGE_PROFILE",
                "default",
                "UNWIND_LOG_FORMAT",
                "json",
                "UNWIND_LOG_LEVEL",
                "DEBUG",
                "UNWIND_HOME",
                "/opt/unwind",
                "UNWIND_JAVA_OPTS",
                "-Xmx1g",
                "UNWIND_DEBUG",
                "1",
                "UNWIND_CONFIG",
                "elsewhere.yaml",
                "UNWIND_TEST_POSTGRES_URL",
                "jdbc:postgresql://x/y",
                "UNWIND_SOMETHING_ELSE",
                "x");
        UnwindConfig c = load(BASE, env);
        assertThat(c.chain().id()).isEqualTo(1);
        assertThat(ConfigLoader.isOverride("UNWIND_FORGE_PROFILE")).isFalse();
        assertThat(ConfigLoader.isOverride("UNWIND_JOURNAL_URL")).isTrue();
        assertThat(ConfigLoader.isOverride("UNWIND_TEST_CHAIN_ID")).isFalse();
    }

    @Test
    void aSectionsVariableOverridesTheFileInAnySpelling() throws IOException {
        UnwindConfig c = load(
                BASE,
                Map.of(
                        "UNWIND_CHAIN_POLLINTERVAL",
                        "3s",
                        "UNWIND_CHAIN_ENDPOINTS_0_URL",
                        "https://eth.example/v2/key",
                        "UNWIND_CHAIN_ENDPOINTS_1_URL",
                        "https://backup.example",
                        "UNWIND_VAULTS_1",
                        "0x0000000000000000000000000000000000000004",
                        "UNWIND_GAS_STUCKAFTERBLOCKS",
                        "7"));
        assertThat(c.chain().pollInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.chain().endpoints())
                .extracting(e -> e.url().toString())
                .containsExactly("https://eth.example/v2/key", "https://backup.example");
        assertThat(c.vaults()).hasSize(2);
        assertThat(c.gas().stuckAfterBlocks()).isEqualTo(7);
    }

    @Test
    void aWrongValueNamesTheVariable() {
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_POLLINTERVAL", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("UNWIND_CHAIN_POLLINTERVAL=abc: chain.pollInterval: must be a duration");
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_ENDPOINTS_0_URL", "ftp://x")))
                .hasMessageStartingWith(
                        "UNWIND_CHAIN_ENDPOINTS_0_URL=ftp://x: chain.endpoints[0].url: must be a http or https URL");
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_HTTP_PORT", "99999")))
                .hasMessageStartingWith("UNWIND_HTTP_PORT=99999: http.port: must be between");
    }

    @Test
    void anUnknownSettingInASectionNamesTheVariable() {
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_POLLINTERVALL", "1s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "UNWIND_CHAIN_POLLINTERVALL=1s: chain.pollintervall: unknown setting (known here: id, endpoints");
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_FOO_BAR", "1")))
                .hasMessageStartingWith("UNWIND_CHAIN_FOO_BAR=1: chain.foo: unknown setting");
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_ID_FOO", "1")))
                .hasMessageStartingWith("UNWIND_CHAIN_ID_FOO=1: chain.id: is a single value");
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_ENDPOINTS_FIRST_URL", "https://x")))
                .hasMessageStartingWith(
                        "UNWIND_CHAIN_ENDPOINTS_FIRST_URL=https://x: chain.endpoints: is a list: the part after it must be an index");
        assertThatThrownBy(() -> load(BASE, Map.of("UNWIND_CHAIN_ENDPOINTS_5_URL", "https://x")))
                .hasMessageStartingWith(
                        "UNWIND_CHAIN_ENDPOINTS_5_URL=https://x: chain.endpoints: has 1 entry: the next one is 1, not 5");
    }

    @Test
    void anEmptyUnwindConfigIsUnset() {
        Path given = Path.of("given.yaml");
        assertThat(ConfigLoader.file(null, Map.of("UNWIND_CONFIG", ""))).isEmpty();
        assertThat(ConfigLoader.file(null, Map.of("UNWIND_CONFIG", "  "))).isEmpty();
        assertThat(ConfigLoader.file(null, Map.of())).isEmpty();
        assertThat(ConfigLoader.file(null, Map.of("UNWIND_CONFIG", "keeper.yaml")))
                .isEqualTo(Optional.of(Path.of("keeper.yaml")));
        assertThat(ConfigLoader.file(given, Map.of("UNWIND_CONFIG", "keeper.yaml")))
                .isEqualTo(Optional.of(given));
    }

    @Test
    void aDirectoryOrAMissingFileIsSaidPlainly() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of("UNWIND_CONFIG", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        dir
                                + " (named by UNWIND_CONFIG) is a directory, not a config file: name the YAML file (see keystore-template/unwind.example.yaml)");
        Files.writeString(dir.resolve("unwind.yaml"), BASE);
        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
                .hasMessageContaining(
                        "is a directory, not a config file: did you mean " + dir.resolve("unwind.yaml") + "?");
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of("UNWIND_CONFIG", missing.toString())))
                .hasMessageStartingWith("the config file " + missing + " (named by UNWIND_CONFIG) does not exist");
    }

    private UnwindConfig load(String yaml, Map<String, String> env) throws IOException {
        return MinimalConfig.load(dir, yaml, env);
    }
}
