package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The jar the build packages, run as a user runs it: {@code java -jar target/unwind.jar --version}. */
class JarVersionIT {
    @Test
    void theBuiltJarKnowsItsVersion() throws Exception {
        Path jar = Path.of(System.getProperty("unwind.jar", "target/unwind.jar"));
        String version = System.getProperty("unwind.version");
        assertThat(jar).as("run by failsafe after package").exists();
        assertThat(version).as("the project version, from the pom").isNotBlank();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--version").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("unwind " + version);
        assertThat(Files.size(jar)).isPositive();
    }
}
