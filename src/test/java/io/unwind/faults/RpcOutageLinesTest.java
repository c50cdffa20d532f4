package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.UnwindConfig;
import io.unwind.engine.VaultOutcome;
import io.unwind.testing.OperatorLog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The only RPC endpoint goes down for a while and comes back. What the operator reads meanwhile must be a few plain
 * lines, not a line (and a stack trace) per second: one warning when the endpoint goes down that says the keeper is
 * holding, a short reminder at most once a minute while it stays down, and one line with the outage's length when it is
 * back. No expected transport failure prints a stack trace.
 */
@Tag("chain")
class RpcOutageLinesTest extends OneVaultWorld {
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @Test
    void anOutageIsOneWarningWhenItBeginsAndOneLineWhenItEnds() {
        g.f.chain.setIntervalMining(1);
        try (TcpCut node = new TcpCut(g.f.chain.httpUrl())) {
            Gauntlet.Running k = g.start(Gauntlet.withEndpoints(
                    g.config(List.of(vault)),
                    List.of(new UnwindConfig.Endpoint("node", node.httpUrl(), Optional.of(node.wsUrl())))));
            k.awaitTick("a first tick", t -> !t.of(VaultOutcome.Kind.HEALTHY).isEmpty());
            outage(node, k);
        }
    }

    private void outage(TcpCut node, Gauntlet.Running k) {
        try (OperatorLog log = OperatorLog.capture()) {
            // The node's process stops: connections refused, HTTP and WebSocket alike.
            node.down();
            Gauntlet.pause(OUTAGE.toMillis());
            node.up();
            Gauntlet.await(
                    "the keeper to say the endpoint is back",
                    () -> log.messages().stream().anyMatch(m -> m.contains("rpc endpoint node is back")));
            long ticked = k.ticks.size();
            Gauntlet.await("a tick after the outage", () -> k.ticks.size() > ticked);

            List<String> messages = log.messages();
            String all = String.join("\n", log.lines());
            assertThat(log.withStackTraces())
                    .as("stack traces of expected transport failures:\n%s", all)
                    .isEmpty();
            assertThat(messages)
                    .as(all)
                    .filteredOn(m -> m.startsWith("WARN")
                            && m.contains("rpc endpoint node down: ")
                            && m.contains("; holding, no action can be sent until it is back"))
                    .hasSize(1);
            assertThat(messages)
                    .as(all)
                    .filteredOn(m -> m.startsWith("INFO") && m.matches(".*rpc endpoint node is back after \\d+ s.*"))
                    .hasSize(1);
            // Down, back, and at most a couple of lines from whatever was in the middle of a call when it went.
            assertThat(log.lines())
                    .as("lines logged during a %d s outage:\n%s", OUTAGE.toSeconds(), all)
                    .hasSizeLessThanOrEqualTo(5);
        }
    }
}
