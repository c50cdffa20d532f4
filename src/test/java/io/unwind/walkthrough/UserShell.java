package io.unwind.walkthrough;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A user's terminal in a checkout of Unwind: command lines run by bash exactly as typed, {@code export}s kept from one
 * line to the next, long-running commands (the devnet, the daemon) in the background as in a second terminal.
 *
 * <p>The checkout is a sandbox beside the real one: the launcher {@code ./unwind} and the few files it compares with
 * the jar are copied with their times, everything else is linked. So the launcher runs as users run it (its own JVM
 * options, its own JDK search, {@code target/unwind.jar} as built by {@code mvn package}), while what the walk-through
 * writes ({@code devnet/}, keys) stays out of the developer's checkout. The environment is the test's minus every
 * {@code UNWIND_*} variable, as in a fresh shell.
 */
final class UserShell implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Path root;
    private final Path env;
    private final Path logs;
    private final List<Background> background = new ArrayList<>();
    private int count;

    /** What a foreground command printed, and its exit status. */
    record Result(String line, int exit, String out, String err) {
        Result ok() {
            if (exit != 0)
                throw new AssertionError("`" + line + "` exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }
    }

    /** A command left running, its output going to a file. */
    record Background(String line, Process process, Path file) {
        String output() {
            return read(file);
        }
    }

    private UserShell(Path root, Path env, Path logs) {
        this.root = root;
        this.env = env;
        this.logs = logs;
    }

    /** A sandbox checkout of the repository at {@code repo}, under {@code dir}. */
    static UserShell in(Path repo, Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("unwind"));
        Path jar = repo.resolve("target/unwind.jar");
        if (!Files.exists(jar))
            throw new AssertionError(jar + " is missing: these tests run after `mvn package` (mvn verify runs them)");
        // What the launcher compares with the jar is copied as it is now, so an edit in the checkout while the test
        // runs
        // cannot make the launcher rebuild under it; the rest is linked.
        for (String f : List.of(
                "unwind",
                "pom.xml",
                "build",
                "src/main",
                "contracts/src",
                "contracts/foundry.toml",
                "contracts/package-lock.json")) {
            copyTree(repo.resolve(f), root.resolve(f));
        }
        for (String d : List.of("src/test", "target", "keystore-template", "scenarios", "ops", "docs", "README.md")) {
            Files.createSymbolicLink(root.resolve(d), repo.resolve(d).toAbsolutePath());
        }
        try (var entries = Files.list(repo.resolve("contracts"))) {
            for (Path e : entries.toList()) {
                Path link = root.resolve("contracts").resolve(e.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    Files.createSymbolicLink(link, e.toAbsolutePath());
            }
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        return new UserShell(root, dir.resolve("env.sh"), logs);
    }

    /** Copies a file or a directory tree, keeping modification times. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else
                    Files.copy(
                            p,
                            Files.createDirectories(t.getParent()).resolve(t.getFileName()),
                            StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    Path root() {
        return root;
    }

    /** Runs one line to its end; fails the test if it runs longer than two minutes. */
    Result run(String line) {
        Path out = logs.resolve(++count + ".out");
        Path err = logs.resolve(count + ".err");
        Process p = start(line, out, err, true);
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                kill(p);
                throw new AssertionError("`" + line + "` did not end within " + COMMAND_TIMEOUT.toSeconds()
                        + " s; it printed:\n" + read(out) + read(err));
            }
            return new Result(line, p.exitValue(), read(out), read(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Starts a line that runs until stopped (a second terminal), and waits until its output satisfies {@code ready}.
     */
    Background startAndWait(String line, Predicate<String> ready, Duration within) {
        Path out = logs.resolve(++count + ".bg");
        Process p = start(line, out, out, false);
        Background b = new Background(line, p, out);
        background.add(b);
        Instant until = Instant.now().plus(within);
        while (!ready.test(b.output())) {
            if (!p.isAlive())
                throw new AssertionError(
                        "`" + line + "` stopped (exit " + p.exitValue() + "); it printed:\n" + b.output());
            if (Instant.now().isAfter(until))
                throw new AssertionError(
                        "`" + line + "` not ready within " + within.toSeconds() + " s; it printed:\n" + b.output());
            sleep(200);
        }
        return b;
    }

    /** Stops a background command as Ctrl-C would (SIGTERM to it and its children), and returns what it printed. */
    String stop(Background b) {
        kill(b.process());
        background.remove(b);
        return b.output();
    }

    private Process start(String line, Path out, Path err, boolean keepExports) {
        // Each line sees the exports of the lines before it; a foreground line passes its own on.
        String script = "set -a; [ -f '" + env + "' ] && . '" + env + "'; set +a\n" + line + "\nrc=$?\n"
                + (keepExports ? "export -p > '" + env + "'\n" : "") + "exit $rc\n";
        ProcessBuilder b = new ProcessBuilder("bash", "-c", script)
                .directory(root.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> e = b.environment();
        e.keySet().removeIf(k -> k.startsWith("UNWIND_"));
        try {
            return b.start();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static void kill(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception timeout) {
                h.destroyForcibly();
            }
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (Background b : List.copyOf(background)) stop(b);
    }
}
