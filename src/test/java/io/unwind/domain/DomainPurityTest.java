package io.unwind.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The domain layer is pure: it imports only the JDK and itself (no web3j, JDBC, HTTP or logging), and never reads
 * the wall clock (time is passed in).
 */
@Tag("pure")
class DomainPurityTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> ALLOWED = List.of("java.math.", "java.time.", "java.util.", "io.unwind.domain.");
    private static final List<String> FORBIDDEN_CALLS = List.of(
            "Instant.now(", "Clock.system", "System.currentTimeMillis(", "System.nanoTime(", "LocalDateTime.now(",
            "new Random(", "Math.random(");

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
    void domainImportsOnlyTheJdkAndItself() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> files = javaFiles();
        assertThat(files).hasSizeGreaterThan(30);
        for (Path f : files) {
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imported = m.group(2);
                if (ALLOWED.stream().noneMatch(imported::startsWith)) offenders.add(f.getFileName() + ": " + imported);
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void domainNeverReadsTheClockOrRandomness() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path f : javaFiles()) {
            String src = Files.readString(f);
            for (String call : FORBIDDEN_CALLS) if (src.contains(call)) offenders.add(f.getFileName() + ": " + call);
        }
        assertThat(offenders).isEmpty();
    }
}
