package io.unwind.faults;

import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.tx.TxState;
import io.unwind.tx.CrashPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code unwind run --config FILE} as a separate JVM on the test classpath, so that it can be killed for real: either
 * it halts itself at a {@link CrashPoints crash point} (exit status {@value CrashPoints#HALT_STATUS}), or it parks
 * there and the test sends it SIGKILL ({@link Process#destroyForcibly} on Linux), or the test sends SIGKILL at a moment
 * of its choosing. Its stdout and stderr go to one log file, read for the crash marker and the status page's port; the
 * tx state gauges on {@code /metrics} say what its journal holds while it runs (the embedded journal is locked by the
 * process).
 */
final class KeeperProcess implements AutoCloseable {
    private static final Pattern STATUS_PAGE = Pattern.compile("status page http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern STATE_GAUGE =
            Pattern.compile("^unwind_tx_state\\{[^}]*state=\"([A-Z_]+)\"[^}]*} ([0-9.eE+-]+)$");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final String crashAt;

    private KeeperProcess(Process process, Path log, String crashAt) {
        this.process = process;
        this.log = log;
        this.crashAt = crashAt;
    }

    /**
     * Starts the keeper on {@code config}.
     *
     * @param crashAt a crash point ({@code NAME} or {@code NAME:N}), or null to run without one
     * @param block park at the crash point (for the test to SIGKILL) instead of halting there
     */
    static KeeperProcess start(Path config, Path log, String crashAt, boolean block) {
        return start(config, log, crashAt, block, false);
    }

    /**
     * @param piped the process writes its output to a pipe that this JVM copies to the log file, rather than to the
     *     file itself: a limit on the size of the files the process may write ({@code prlimit --fsize}) then reaches
     *     its journal and not its log
     */
    static KeeperProcess start(Path config, Path log, String crashAt, boolean block, boolean piped) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Starting fast: C1 only, the JDK's class-data archive, a small serial heap. (An archive of the keeper's own
        // classes would help more, but the JVM archives classes from jars only, and the test classpath has
        // directories.)
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx384m"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        if (crashAt != null) {
            cmd.add("-D" + CrashPoints.PROPERTY + "=" + crashAt);
            if (block) cmd.add("-D" + CrashPoints.MODE_PROPERTY + "=block");
        }
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.unwind.app.Main",
                "run",
                "--config",
                config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(piped ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("UNWIND_")); // the config file alone says what to do
        try {
            Process p = pb.start();
            if (piped) Thread.ofVirtual().name("keeper-output").start(() -> copy(p, log));
            return new KeeperProcess(p, log, crashAt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the keeper process", e);
        }
    }

    private static void copy(Process p, Path log) {
        try (var in = p.getInputStream();
                var out = Files.newOutputStream(
                        log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The keeper's configuration as a file, as an operator would write it for this chain. */
    static String configYaml(UnwindConfig c) {
        var e = c.chain().endpoints().get(0);
        var k = c.contracts();
        return """
                chain:
                  id: %d
                  endpoints:
                    - {name: anvil, url: "%s", ws: "%s"}
                  pollInterval: 100ms
                  callTimeout: 10s
                  confirmations: 1
                contracts:
                  morpho: "%s"
                  lens: "%s"
                  uniswapV3Quoter: "%s"
                  uniswapV3Router: "%s"
                  uniswapV2Router: "%s"
                  nativeToken: "%s"
                vaults: [%s]
                keeper:
                  devAccount: %d
                routing:
                  roundTimeout: 5s
                gas:
                  stuckAfterBlocks: %d
                journal:
                  url: "%s"
                scheduler:
                  intervalFallback: 500ms
                http:
                  port: 0
                """.formatted(
                        c.chain().id(),
                        e.url(),
                        e.ws().orElseThrow(),
                        k.morpho().hex(),
                        k.lens().hex(),
                        k.uniswapV3Quoter().orElseThrow().hex(),
                        k.uniswapV3Router().orElseThrow().hex(),
                        k.uniswapV2Router().orElseThrow().hex(),
                        k.nativeToken().orElseThrow().hex(),
                        c.vaults().stream().map(v -> "\"" + v.hex() + "\"").collect(Collectors.joining(", ")),
                        c.keeper().devAccount().orElseThrow(),
                        c.gas().stuckAfterBlocks(),
                        c.journal().url());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit status, once it has ended. */
    OptionalInt exitStatus() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Whether the log says the process reached its crash point. */
    boolean reachedCrashPoint() {
        return crashAt != null && output().lines().anyMatch(l -> l.startsWith(CrashPoints.MARKER + " "));
    }

    /** The crash point the process reports it reached ({@code NAME:N}). */
    Optional<String> crashPointReached() {
        return output().lines()
                .filter(l -> l.startsWith(CrashPoints.MARKER + " "))
                .findFirst()
                .map(l -> l.substring(CrashPoints.MARKER.length() + 1).trim());
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** SIGTERM, as an operator stops the keeper, and waits until it has closed its journal. */
    void stop() {
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(20))) kill();
    }

    boolean awaitExit(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    OptionalInt statusPort() {
        Matcher m = STATUS_PAGE.matcher(output());
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /**
     * The journal's transactions by state as the running keeper last counted them (its {@code unwind.tx.state} gauges),
     * or empty while its status page is not up.
     */
    Optional<Map<TxState, Long>> txStates() {
        OptionalInt port = statusPort();
        if (port.isEmpty() || !alive()) return Optional.empty();
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + "/metrics"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return Optional.empty();
            Map<TxState, Long> counts = new EnumMap<>(TxState.class);
            r.body()
                    .lines()
                    .map(STATE_GAUGE::matcher)
                    .filter(Matcher::matches)
                    .forEach(m -> counts.merge(
                            TxState.valueOf(m.group(1)), (long) Double.parseDouble(m.group(2)), Long::sum));
            return counts.isEmpty() ? Optional.empty() : Optional.of(counts);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    @Override
    public String toString() {
        return "keeper pid " + process.pid() + (crashAt == null ? "" : " (crash at " + crashAt + ")");
    }
}
