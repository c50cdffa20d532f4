package io.unwind.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The domain layer never reads the wall clock or a random source: time and randomness are passed in. (That it uses only
 * the JDK is one of the layer rules in {@code io.unwind.architecture.LayersTest}.)
 */
@Tag("pure")
class DomainPurityTest {
    private static final List<String> FORBIDDEN_CALLS = List.of(
            "Instant.now(",
            "Clock.system",
            "System.currentTimeMillis(",
            "System.nanoTime(",
            "LocalDateTime.now(",
            "new Random(",
            "Math.random(");

    static Path domainSources() {
        Path p = Path.of(System.getProperty("user.dir"), "src", "main", "java", "io", "unwind", "domain");
        assertThat(p).as("domain sources under the working directory").isDirectory();
        return p;
    }

    static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(domainSources())) {
            return s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void domainNeverReadsTheClockOrRandomness() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> files = javaFiles();
        assertThat(files).hasSizeGreaterThan(30);
        for (Path f : files) {
            String src = Files.readString(f);
            for (String call : FORBIDDEN_CALLS) if (src.contains(call)) offenders.add(f.getFileName() + ": " + call);
        }
        assertThat(offenders).isEmpty();
    }
}
