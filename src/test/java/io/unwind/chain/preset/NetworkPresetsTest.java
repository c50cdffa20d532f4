package io.unwind.chain.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The generated presets (src/main/resources/presets, from tools/presets/generate.mjs) load, are for the right chains,
 * and say where every address came from; and what the loader reads is what the committed files say.
 */
@Tag("pure")
class NetworkPresetsTest {
    private static final Path DIR = Path.of("src/main/resources/presets");

    @Test
    void everyPresetLoadsForItsChain() {
        Map<String, Long> ids = Map.of("ethereum", 1L, "base", 8453L, "arbitrum", 42161L, "optimism", 10L);
        assertThat(NetworkPresets.NAMES).containsExactly("ethereum", "base", "arbitrum", "optimism");
        for (NetworkPreset p : NetworkPresets.all()) {
            assertThat(p.chainId()).as(p.name()).isEqualTo(ChainId.of(ids.get(p.name())));
            assertThat(NetworkPresets.forChain(p.chainId())).contains(p);
        }
        assertThat(NetworkPresets.load("ethereum").kind()).isEqualTo(NetworkPreset.Kind.L1);
        assertThat(NetworkPresets.load("base").kind()).isEqualTo(NetworkPreset.Kind.OP_STACK);
        assertThat(NetworkPresets.load("optimism").kind()).isEqualTo(NetworkPreset.Kind.OP_STACK);
        assertThat(NetworkPresets.load("arbitrum").kind()).isEqualTo(NetworkPreset.Kind.ARBITRUM);
    }

    @Test
    void everyAddressHasItsPackageVersionAndExport() {
        for (NetworkPreset p : NetworkPresets.all()) {
            assertThat(p.addresses().keySet())
                    .as(p.name())
                    .contains(
                            NetworkPreset.MORPHO,
                            NetworkPreset.AAVE_POOL,
                            NetworkPreset.AAVE_POOL_ADDRESSES_PROVIDER,
                            NetworkPreset.AAVE_ORACLE,
                            NetworkPreset.UNISWAP_V3_FACTORY,
                            NetworkPreset.UNISWAP_V3_SWAP_ROUTER_02,
                            NetworkPreset.UNISWAP_V3_QUOTER_V2,
                            NetworkPreset.UNISWAP_V2_ROUTER_02,
                            NetworkPreset.WRAPPED_NATIVE);
            for (NetworkPreset.Entry e : p.addresses().values()) {
                // "@scope/package@1.2.3 export": the package, its exact version, and what was read from it.
                assertThat(e.source())
                        .as(p.name() + " " + e.name())
                        .matches("@[a-z0-9-]+/[a-z0-9-]+@\\d+\\.\\d+\\.\\d+ \\S.*");
                assertThat(e.address().isZero()).as(p.name() + " " + e.name()).isFalse();
            }
            // An aggregator no package lists is named with the reason, never given an address.
            assertThat(p.notListed()).isNotEmpty();
            assertThat(p.notListed().keySet())
                    .doesNotContainAnyElementsOf(p.addresses().keySet());
        }
    }

    @Test
    void theLoaderReadsExactlyWhatTheCommittedFilesSay() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.map(f -> f.getFileName().toString()).sorted().forEach(files::add);
        }
        assertThat(files)
                .containsExactlyInAnyOrderElementsOf(
                        NetworkPresets.NAMES.stream().map(n -> n + ".yaml").toList());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String name : NetworkPresets.NAMES) {
            JsonNode raw = yaml.readTree(DIR.resolve(name + ".yaml").toFile());
            NetworkPreset p = NetworkPresets.load(name);
            assertThat(raw.get("name").asText()).isEqualTo(p.name());
            assertThat(raw.get("chainId").asLong()).isEqualTo(p.chainId().value());
            assertThat(raw.get("kind").asText()).isEqualTo(p.kind().label());
            List<String> keys = new ArrayList<>();
            raw.get("addresses").fieldNames().forEachRemaining(keys::add);
            assertThat(p.addresses().keySet()).containsExactlyElementsOf(keys);
            for (String k : keys) {
                JsonNode e = raw.get("addresses").get(k);
                assertThat(p.address(k)).contains(Address.of(e.get("address").asText()));
                assertThat(p.entry(k).orElseThrow().source())
                        .isEqualTo(e.get("source").asText());
            }
            assertThat(p.notListed()).hasSize(raw.get("notListed").size());
        }
    }

    @Test
    void anUnknownNameSaysWhichThereAre() {
        assertThatThrownBy(() -> NetworkPresets.load("polygon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no network preset 'polygon': the presets are ethereum, base, arbitrum, optimism");
    }
}
