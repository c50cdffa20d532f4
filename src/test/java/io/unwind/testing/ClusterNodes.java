package io.unwind.testing;

import io.unwind.domain.chain.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the cluster tests share: a keeper node's config on a local market and a PostgreSQL journal, waiting on nodes
 * that run as processes (one that exits on its own fails the wait at once), and the tails of their logs.
 */
public final class ClusterNodes {
    private ClusterNodes() {}

    /** A cluster's timing: how often a partition is ticked, how often a node checks in, when a silent one is dead. */
    public record Timing(String tickInterval, String checkinInterval, String deadAfter) {}

    /** Where a node's journal is, and the environment variable holding its password. */
    public record Journal(String url, String user, String passwordEnv) {}

    /** The keeper section's value for a node signing with anvil's development account {@code n}. */
    public static String devAccount(int n) {
        return "{devAccount: " + n + "}";
    }

    /**
     * A cluster node's config on {@code f}'s market watching {@code vaults}; {@code keeper} is the keeper section's
     * value ({@link #devAccount}, or a keystore and its password file).
     */
    public static String config(
            MarketFixture f,
            List<Address> vaults,
            Journal journal,
            String keeper,
            int httpPort,
            String nodeId,
            int partitions,
            Timing timing) {
        var m = f.market;
        return """
                chain:
                  id: %d
                  endpoints: [{name: anvil, url: "%s", ws: "%s"}]
                  pollInterval: 100ms
                  confirmations: 1
                contracts:
                  morpho: "%s"
                  lens: "%s"
                  uniswapV3Quoter: "%s"
                  uniswapV3Router: "%s"
                  nativeToken: "%s"
                vaults: [%s]
                keeper: %s
                routing: {roundTimeout: 5s}
                journal: {url: "%s", user: "%s", passwordEnv: %s}
                http: {enabled: true, port: %d}
                cluster:
                  enabled: true
                  nodeId: %s
                  partitions: %d
                  tickInterval: %s
                  checkinInterval: %s
                  deadAfter: %s
                """.formatted(
                        f.chain.chainId(),
                        f.chain.httpUrl(),
                        f.chain.wsUrl(),
                        m.morpho().hex(),
                        m.vaultLens().hex(),
                        m.quoterV2().hex(),
                        m.swapRouter().hex(),
                        m.collateral().address().hex(),
                        vaults.stream().map(v -> "\"" + v.hex() + "\"").collect(Collectors.joining(", ")),
                        keeper,
                        journal.url(),
                        journal.user(),
                        journal.passwordEnv(),
                        httpPort,
                        nodeId,
                        partitions,
                        timing.tickInterval(),
                        timing.checkinInterval(),
                        timing.deadAfter());
    }

    /**
     * {@code unwind run --config config} in a JVM of its own with the test's class path, small and quick to start,
     * logging to {@code log}; {@code env} is added to its environment (the journal's password).
     */
    public static Process start(Path config, Path log, java.util.Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.unwind.app.Main",
                "run",
                "--config",
                config.toString());
        b.environment().keySet().removeIf(k -> k.startsWith("UNWIND_") && !k.startsWith("UNWIND_TEST_"));
        b.environment().putAll(env);
        b.redirectErrorStream(true).redirectOutput(log.toFile());
        return b.start();
    }

    /**
     * Waits until {@code done}, polling every 100 ms; fails at once when a process in {@code running} has exited, and
     * at {@code timeout}, each time with {@code context} (the nodes' logs, say).
     */
    public static void await(
            List<Process> running, String what, Duration timeout, Supplier<String> context, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            for (Process p : running) {
                if (!p.isAlive())
                    throw new AssertionError(
                            "a keeper node exited (" + p.exitValue() + ") while " + what + "\n" + context.get());
            }
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out waiting: " + what + "\n" + context.get());
            Thread.sleep(100);
        }
    }

    /** The last {@code lines} lines of each node's log, {@code dir/<id>.log}. */
    public static String tails(Path dir, List<String> ids, int lines) {
        StringBuilder b = new StringBuilder();
        for (String id : ids) {
            try {
                List<String> all = Files.readAllLines(dir.resolve(id + ".log"));
                b.append("--- ").append(id).append(" (last ").append(lines).append(" lines)\n");
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("--- ").append(id).append(": no log\n");
            }
        }
        return b.toString();
    }
}
