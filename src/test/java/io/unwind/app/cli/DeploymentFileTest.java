package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.local.MarketDeployment;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deployment.json: SwapRouter02 written and read back, and a file written before it existed still read. */
@Tag("pure")
class DeploymentFileTest {
    @TempDir
    Path tmp;

    private static Address a(int i) {
        return Address.of(String.format("0x%040x", i));
    }

    @Test
    void swapRouter02IsWrittenAndReadBackAndAnOlderFileReadsItAsAbsent() throws Exception {
        MarketDeployment m = new MarketDeployment(
                31337,
                a(1),
                a(2),
                a(3),
                new Token(a(4), "WETH", 18),
                new Token(a(5), "USDC", 6),
                a(6),
                8,
                a(7),
                new BigInteger("860000000000000000"),
                "0x" + "ab".repeat(32),
                a(8),
                a(9),
                a(10),
                a(11),
                a(12),
                a(13),
                a(14),
                a(15),
                a(16),
                a(17),
                a(18),
                List.of(new MarketDeployment.Pool("uniswap-v3", 3000, a(19))));
        Path file = tmp.resolve("deployment.json");
        DeploymentFile.write(file, m);
        assertThat(Files.readString(file)).contains("\"swapRouter02\" : \"" + a(13).hex() + "\"");
        assertThat(DeploymentFile.read(file)).isEqualTo(m);

        // As unwind devnet wrote it before SwapRouter02 was deployed: no such field, and one this build does not know.
        String older = Files.readString(file)
                .replaceAll("\\s*\"swapRouter02\" : \"0x[0-9a-f]{40}\",", "")
                .replaceFirst("\\{", "{\n  \"somethingNewer\" : 1,");
        assertThat(older).doesNotContain("swapRouter02");
        Files.writeString(file, older);
        MarketDeployment read = DeploymentFile.read(file);
        assertThat(read.swapRouter02()).isNull();
        assertThat(read.swapRouter()).isEqualTo(a(12));
        assertThat(read.quoterV2()).isEqualTo(a(14));
    }
}
