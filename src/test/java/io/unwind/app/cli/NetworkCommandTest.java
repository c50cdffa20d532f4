package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unwind network list/show}, and a config's chain.preset checked as the config loads (no chain needed). */
@Tag("pure")
class NetworkCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsThePresets() {
        Unwind.Run r = Unwind.run("network", "list");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("ethereum", "8453", "op-stack", "arbitrum", "42161");
        JsonNode all = Unwind.run("network", "list", "--json").json();
        assertThat(all).hasSize(4);
        assertThat(all.get(3).get("chainId").asLong()).isEqualTo(10);
    }

    @Test
    void showsEachAddressWithItsSource() {
        Unwind.Run r = Unwind.run("network", "show", "base");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out())
                .contains("base: chain 8453, op-stack", "morpho", "@morpho-org/blue-sdk@", "not in the preset");
        JsonNode j = Unwind.run("network", "show", "ethereum", "--json").json();
        assertThat(j.get("name").asText()).isEqualTo("ethereum");
        JsonNode morpho = j.get("addresses").get(0);
        assertThat(morpho.get("name").asText()).isEqualTo("morpho");
        assertThat(morpho.get("address").asText()).matches("0x[0-9a-f]{40}");
        assertThat(morpho.get("source").asText()).startsWith("@morpho-org/blue-sdk@");
        assertThat(morpho.has("note")).isFalse();
        assertThat(j.get("notListed").size()).isPositive();
    }

    @Test
    void anUnknownNetworkIsAUsageError() {
        Unwind.Run r = Unwind.run("network", "show", "polygon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no network preset 'polygon': the presets are ethereum, base");
    }

    @Test
    void aConfigWhosePresetIsForAnotherChainIsRefusedAsItLoads() throws IOException {
        String config = ConfigCheckTest.CONFIG.replace("chain: {id: 31337,", "chain: {id: 8453, preset: ethereum,");
        Path f = Files.writeString(dir.resolve("keeper.yaml"), config);
        Unwind.Run r = Unwind.run("config", "check", f.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err())
                .contains("chain.preset: the preset 'ethereum' is chain 1, but chain.id is 8453: set chain.id to 1 or"
                        + " choose the preset 'base'");
        Path unknown = Files.writeString(
                dir.resolve("unknown.yaml"), ConfigCheckTest.CONFIG.replace("chain: {", "chain: {preset: mars, "));
        Unwind.Run u = Unwind.run("config", "check", unknown.toString());
        assertThat(u.exit()).as("%s", u).isEqualTo(2);
        assertThat(u.err()).contains("chain.preset: no network preset 'mars'");
    }

    @Test
    void aChainKindThatIsNoneOrContradictsThePresetIsRefusedAsItLoads() throws IOException {
        Path wrong = Files.writeString(
                dir.resolve("kind.yaml"),
                ConfigCheckTest.CONFIG.replace(
                        "chain: {id: 31337,", "chain: {id: 8453, preset: base, kind: arbitrum,"));
        Unwind.Run r = Unwind.run("config", "check", wrong.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("chain.kind: 'arbitrum' but the preset 'base' is op-stack");
        Path none = Files.writeString(
                dir.resolve("none.yaml"), ConfigCheckTest.CONFIG.replace("chain: {", "chain: {kind: zk, "));
        Unwind.Run n = Unwind.run("config", "check", none.toString());
        assertThat(n.exit()).as("%s", n).isEqualTo(2);
        assertThat(n.err()).contains("chain.kind: kind 'zk' is none of l1, op-stack, arbitrum");
    }
}
