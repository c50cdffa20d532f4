package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar the build packages, run as the launcher runs it ({@code java -jar target/unwind.jar ...}) with a real process
 * environment: what cannot be set in-process (UNWIND_CONFIG, the launcher's own variables) is tested here.
 */
@Tag("process")
class BuiltJarIT {
    @TempDir
    Path dir;

    record Run(int exit, String output) {}

    /** Runs the jar with exactly these UNWIND_ variables (the test's own environment's are removed). */
    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("unwind.jar", "target/unwind.jar"));
        assertThat(jar).as("failsafe runs this after package").exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("UNWIND_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theBuiltJarKnowsItsVersion() throws Exception {
        String version = System.getProperty("unwind.version");
        assertThat(version).as("the project version, from the pom").isNotBlank();
        Run r = run(Map.of(), "--version");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).isEqualTo("unwind " + version);
    }

    @Test
    void theLaunchersVariablesAreNotSettings() throws Exception {
        Path config = Files.writeString(dir.resolve("keeper.yaml"), ConfigCheckTest.CONFIG);
        Run r = run(
                Map.of(
                        "UNWIND_FORGE_PROFILE",
                        "default",
                        "UNWIND_LOG_FORMAT",
                        "text",
                        "UNWIND_JAVA_OPTS",
                        "-Xmx256m",
                        "UNWIND_HOME",
                        dir.toString(),
                        "UNWIND_CONFIG",
                        config.toString()),
                "config",
                "check");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("configuration ok");
    }

    @Test
    void aWrongOverrideNamesItsVariable() throws Exception {
        Path config = Files.writeString(dir.resolve("keeper.yaml"), ConfigCheckTest.CONFIG);
        Run r = run(Map.of("UNWIND_CHAIN_POLLINTERVAL", "abc"), "config", "check", "--config", config.toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("UNWIND_CHAIN_POLLINTERVAL=abc: chain.pollInterval: must be a duration");
    }

    @Test
    void anEmptyUnwindConfigIsUnset() throws Exception {
        Run r = run(Map.of("UNWIND_CONFIG", ""), "config", "check");
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("which configuration?").doesNotContain("Is a directory");
        Run status = run(Map.of("UNWIND_CONFIG", ""), "status");
        assertThat(status.exit()).as(status.output()).isEqualTo(2);
        assertThat(status.output()).contains("no chain to talk to");
        Run directory = run(Map.of("UNWIND_CONFIG", dir.toString()), "config", "check");
        assertThat(directory.output()).contains(dir + " (named by UNWIND_CONFIG) is a directory, not a config file");
    }
}
