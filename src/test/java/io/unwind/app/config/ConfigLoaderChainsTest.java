package io.unwind.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chains:}: several chains in one file, each entry over the shared sections, every mistake named by its field.
 */
@Tag("pure")
class ConfigLoaderChainsTest {
    private static final String SHARED = """
            keeper: {keystore: key.json, passwordEnv: KEY_PW}
            http: {port: 9500}
            journal: {url: "jdbc:h2:mem:chains"}
            """;
    private static final String ETHEREUM = """
              - name: ethereum
                chain: {id: 1, endpoints: [{url: "http://127.0.0.1:8545"}]}
                contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
                vaults: ["0x0000000000000000000000000000000000000003"]
            """;
    private static final String BASE = """
              - name: base
                chain: {id: 8453, kind: op-stack, endpoints: [{url: "http://127.0.0.1:9545"}]}
                contracts: {morpho: "0x0000000000000000000000000000000000000011", lens: "0x0000000000000000000000000000000000000012"}
                vaults: ["0x0000000000000000000000000000000000000013"]
                keeper: {keystore: base-key.json, passwordEnv: BASE_PW}
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("unwind.yaml"), yaml);
    }

    @Test
    void eachChainHasItsOwnSectionsOverTheSharedOnes() throws IOException {
        List<ConfigLoader.ChainConfig> all =
                ConfigLoader.loadChains(write(SHARED + "chains:\n" + ETHEREUM + BASE), Map.of());
        assertThat(all).extracting(ConfigLoader.ChainConfig::name).containsExactly("ethereum", "base");
        UnwindConfig eth = all.get(0).config();
        UnwindConfig base = all.get(1).config();
        assertThat(eth.chain().id()).isEqualTo(1);
        assertThat(base.chain().id()).isEqualTo(8453);
        assertThat(base.chain().feeKind().label()).isEqualTo("op-stack");
        assertThat(eth.chain().feeKind().label()).isEqualTo("l1");
        assertThat(base.contracts().morpho()).isEqualTo(Address.of("0x0000000000000000000000000000000000000011"));
        assertThat(base.vaults()).containsExactly(Address.of("0x0000000000000000000000000000000000000013"));
        // The key: base's own; ethereum's the shared one. The journal: shared. The status page: its own port.
        assertThat(eth.keeper().keystore().orElseThrow().getFileName()).hasToString("key.json");
        assertThat(base.keeper().keystore().orElseThrow().getFileName()).hasToString("base-key.json");
        assertThat(base.journal().url()).isEqualTo(eth.journal().url());
        assertThat(eth.http().port()).isEqualTo(9500);
        assertThat(base.http().port()).isEqualTo(9501);
        // One chain, by name, for the commands that use one.
        Path f = dir.resolve("unwind.yaml");
        assertThat(ConfigLoader.load(f, Map.of(), Optional.of("base")).chain().id())
                .isEqualTo(8453);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("this config has 2 chains (ethereum, base): name one with --chain NAME");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Optional.of("polygon")))
                .hasMessageContaining("has no chain 'polygon': its chains are ethereum, base");
    }

    @Test
    void aFileWithoutChainsIsOneChainNamedAfterItsId() throws IOException {
        List<ConfigLoader.ChainConfig> one = ConfigLoader.loadChains(write(MinimalConfig.YAML), Map.of());
        assertThat(one).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("1"));
    }

    @Test
    void mistakesAreNamedByTheirField() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.loadChains(
                        write(SHARED + "chains:\n" + ETHEREUM + ETHEREUM.replace("name: ethereum", "name: mainnet")),
                        Map.of()))
                .hasMessageContaining("chain id 1 is listed twice");
        assertThatThrownBy(() -> ConfigLoader.loadChains(
                        write(SHARED + "chains:\n" + ETHEREUM.replace("name: ethereum", "name: Main Net")), Map.of()))
                .hasMessageContaining("chains[0].name")
                .hasMessageContaining("lower case letters, digits and dashes");
        assertThatThrownBy(() -> ConfigLoader.loadChains(
                        write(SHARED + "chains:\n" + ETHEREUM + "    journal: {url: \"jdbc:h2:mem:other\"}\n"),
                        Map.of()))
                .hasMessageContaining("chains[0].journal")
                .hasMessageContaining("shared by every chain");
        assertThatThrownBy(() -> ConfigLoader.loadChains(write(MinimalConfig.YAML + "chains:\n" + ETHEREUM), Map.of()))
                .hasMessageContaining("is given with chains");
        assertThatThrownBy(() -> ConfigLoader.loadChains(
                        write(SHARED + "chains:\n"
                                + BASE.replace("endpoints: [{url: \"http://127.0.0.1:9545\"}]", "endpoints: []")),
                        Map.of()))
                .hasMessageContaining("chains[0].chain.endpoints");
    }
}
