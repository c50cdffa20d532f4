package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.domain.chain.Address;
import io.unwind.local.MarketSpec;
import io.unwind.store.Database;
import io.unwind.testing.MarketFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unwind run} stopped as an operator stops it (SIGTERM) says that it is stopping, and that it stopped. */
@Tag("chain")
@Tag("process")
class KeeperStopTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermIsOneLineWhenStoppingAndOneWhenStopped() throws Exception {
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc())) {
            Address vault = f.openProtected("10", "0.70", MarketFixture.policy(8000, 7000));
            Path config = tmp.resolve("unwind.yaml");
            Files.writeString(
                    config,
                    KeeperProcess.configYaml(LocalKeeperConfig.of(
                            f.chain,
                            f.market,
                            List.of(vault),
                            3,
                            Database.embeddedUrl(tmp.resolve("data")),
                            Optional.of(0))));
            try (KeeperProcess k = KeeperProcess.start(config, tmp.resolve("keeper.log"), null, false)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (k.statusPort().isEmpty()) {
                    assertThat(k.alive()).as(k.tail(30)).isTrue();
                    assertThat(System.nanoTime())
                            .as("started in time: %s", k.tail(30))
                            .isLessThan(deadline);
                    Thread.sleep(100);
                }
                k.stop();
                assertThat(k.exitStatus().orElseThrow()).as(k.tail(30)).isIn(0, 128 + 15);
                List<String> lines = k.output().lines().toList();
                assertThat(lines)
                        .as(k.tail(30))
                        .filteredOn(
                                l -> l.contains(" INFO ")
                                        && l.contains(
                                                "stopping: the process was asked to stop (SIGTERM or Ctrl-C); finishing the running tick"))
                        .hasSize(1);
                assertThat(lines)
                        .as(k.tail(30))
                        .filteredOn(l -> l.contains(" INFO ") && l.matches(".*stopped after \\d+ ms: .*"))
                        .hasSize(1);
            }
        }
    }
}
