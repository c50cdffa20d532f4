package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.preset.NetworkPreset;
import io.unwind.chain.preset.NetworkPresets;
import io.unwind.local.LocalChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network preset checked against a live chain: an anvil on its own chain id is the wrong network; an anvil with
 * Ethereum's chain id but none of its contracts has no code at the preset's addresses (and {@code run} and
 * {@code config check --online} stop on it before anything else); once every address has code, the check passes.
 */
@Tag("chain")
class NetworkCheckOnAnvilTest {
    @TempDir
    Path dir;

    @Test
    void anEndpointOnAnotherChainIsTheWrongNetwork() {
        try (LocalChain anvil = LocalChain.start()) {
            Unwind.Run r = Unwind.run(
                    "network", "check", "ethereum", "--rpc", anvil.httpUrl().toString());
            assertThat(r.exit()).as("%s", r).isEqualTo(2);
            assertThat(r.err())
                    .contains("is chain 31337, the preset 'ethereum' is chain 1: point the endpoint at Ethereum or"
                            + " choose the preset for chain 31337");
            Unwind.Run json = Unwind.run(
                    "network", "check", "ethereum", "--rpc", anvil.httpUrl().toString(), "--json");
            assertThat(json.exit()).as("%s", json).isEqualTo(2);
            assertThat(json.json().get("checked").asInt()).isEqualTo(1);
            assertThat(json.json().get("mismatches")).hasSize(1);
        }
    }

    @Test
    void theRightChainWithoutTheContractsThenWithThem() throws IOException {
        NetworkPreset ethereum = NetworkPresets.load("ethereum");
        try (LocalChain anvil = LocalChain.start(LocalChain.Options.defaults().withChainId(1))) {
            String rpc = anvil.httpUrl().toString();
            Unwind.Run missing = Unwind.run("network", "check", "ethereum", "--rpc", rpc);
            assertThat(missing.exit()).as("%s", missing).isEqualTo(2);
            for (NetworkPreset.Entry e : ethereum.addresses().values()) {
                assertThat(missing.err())
                        .contains("no contract at " + e.address() + " (" + e.name() + ", from " + e.source() + ")");
            }
            assertThat(missing.err()).contains("the preset is out of date or this is not ethereum");

            // A config that names the preset: run and config check --online stop before anything else, exit 2.
            Path config = Files.writeString(dir.resolve("keeper.yaml"), """
                    chain: {id: 1, preset: ethereum, endpoints: [{name: local, url: "%s"}]}
                    contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
                    vaults: ["0x0000000000000000000000000000000000000003"]
                    keeper: {keystore: no-such-keystore.json, passwordEnv: NO_SUCH_PASSWORD}
                    """.formatted(rpc));
            for (String[] command : new String[][] {
                {"config", "check", config.toString(), "--online"}, {"run", "--config", config.toString()}
            }) {
                Unwind.Run r = Unwind.run(command);
                assertThat(r.exit()).as("%s", r).isEqualTo(2);
                assertThat(r.err())
                        .contains("chain.preset 'ethereum' does not match the chain:\n  no contract at "
                                + ethereum.address(NetworkPreset.MORPHO).orElseThrow())
                        .contains("Nothing was started")
                        .doesNotContain("keystore");
            }

            for (NetworkPreset.Entry e : ethereum.addresses().values()) {
                anvil.rpc("anvil_setCode", e.address().hex(), "0x00"); // STOP: any code at all is "a contract"
            }
            Unwind.Run present = Unwind.run("network", "check", "--config", config.toString());
            assertThat(present.exit()).as("%s", present).isZero();
            assertThat(present.out())
                    .contains("ethereum: 1 endpoint(s) on chain 1, code at all "
                            + ethereum.addresses().size() + " addresses");
        }
    }
}
