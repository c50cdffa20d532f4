package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/RELIABILITY.md names, for every fault, the tests that assert its outcome. This fails when a row names a Java
 * test method that does not exist (or is not a test, or is disabled) or a Foundry test function that is not in its
 * file, and when a test of the fault classes is missing from the table.
 */
@Tag("pure")
class ReliabilityDocTest {
    private static final Path DOC = Path.of("docs/RELIABILITY.md");
    private static final Path JAVA_TESTS = Path.of("src/test/java");
    private static final Path FORGE_TESTS = Path.of("contracts/test");
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");
    private static final Set<String> TEST_ANNOTATIONS =
            Set.of("Test", "ParameterizedTest", "RepeatedTest", "TestFactory", "TestTemplate", "Property", "Example");
    /** Every test of these classes must be in the table. */
    private static final List<Class<?>> FAULT_CLASSES = List.of(
            RpcLiesTest.class,
            RpcTransportFaultsTest.class,
            SendErrorClassesTest.class,
            GasFaultsTest.class,
            JournalPostgresFaultsTest.class,
            JournalDiskFullTest.class);

    private record Row(int line, String fault, List<String> tests) {}

    private static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(DOC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.startsWith("|") || l.startsWith("|---") || l.startsWith("| fault |")) continue;
            String[] cells = l.substring(1, l.length() - 1).split("\\|");
            assertThat(cells).as("line %d: fault | outcome | tests", i + 1).hasSize(3);
            List<String> tests = new ArrayList<>();
            Matcher m = NAME.matcher(cells[2]);
            while (m.find()) tests.add(m.group(1));
            rows.add(new Row(i + 1, cells[0].strip(), tests));
        }
        return rows;
    }

    @Test
    void everyRowNamesAnOutcomeAndAtLeastOneTest() {
        assertThat(rows()).hasSizeGreaterThan(30).allSatisfy(r -> {
            assertThat(r.fault()).as("line %d", r.line()).isNotBlank();
            assertThat(r.tests()).as("line %d names no test", r.line()).isNotEmpty();
        });
    }

    @Test
    void everyTestNamedExists() {
        List<String> missing = new ArrayList<>();
        for (Row r : rows()) {
            for (String t : r.tests()) {
                Optional<String> why = t.contains("::") ? forgeProblem(t) : javaProblem(t);
                why.ifPresent(w -> missing.add("line " + r.line() + ": " + t + ": " + w));
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyTestOfTheFaultClassesIsInTheTable() {
        Set<String> named =
                Set.copyOf(rows().stream().flatMap(r -> r.tests().stream()).toList());
        for (Class<?> c : FAULT_CLASSES) {
            List<String> tests = Arrays.stream(c.getDeclaredMethods())
                    .filter(ReliabilityDocTest::isTest)
                    .map(m -> c.getSimpleName() + "#" + m.getName())
                    .toList();
            assertThat(tests).as(c.getSimpleName()).isNotEmpty();
            assertThat(named).as("the rows of docs/RELIABILITY.md").containsAll(tests);
        }
    }

    @Test
    void theCrashesSectionIsThere() throws IOException {
        assertThat(Files.readString(DOC)).contains("\n## Crashes\n");
    }

    /** {@code Outer.Inner#method}: the class is found by its file under src/test/java, the method by reflection. */
    private static Optional<String> javaProblem(String name) {
        int hash = name.indexOf('#');
        if (hash < 0) return Optional.of("not Class#method");
        String[] classes = name.substring(0, hash).split("\\.");
        String method = name.substring(hash + 1);
        List<Path> files;
        try (Stream<Path> s = Files.walk(JAVA_TESTS)) {
            files = s.filter(p -> p.getFileName().toString().equals(classes[0] + ".java"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.size() != 1) return Optional.of(files.size() + " files named " + classes[0] + ".java");
        String binary = JAVA_TESTS
                        .relativize(files.get(0))
                        .toString()
                        .replace(".java", "")
                        .replace('/', '.')
                + (classes.length > 1 ? "$" + String.join("$", Arrays.copyOfRange(classes, 1, classes.length)) : "");
        Class<?> c;
        try {
            c = Class.forName(binary, false, ReliabilityDocTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.of("no class " + binary);
        }
        if (disabled(c.getAnnotations())) return Optional.of(binary + " is disabled");
        List<Method> tests = Arrays.stream(c.getDeclaredMethods())
                .filter(m -> m.getName().equals(method))
                .toList();
        if (tests.isEmpty()) return Optional.of("no method " + method + " in " + binary);
        if (tests.stream().noneMatch(ReliabilityDocTest::isTest)) return Optional.of(method + " is not a test");
        if (tests.stream().anyMatch(m -> disabled(m.getAnnotations()))) return Optional.of(method + " is disabled");
        return Optional.empty();
    }

    /** {@code dir/File.t.sol::function}: the file under contracts/test declares that function. */
    private static Optional<String> forgeProblem(String name) {
        String[] parts = name.split("::");
        if (parts.length != 2) return Optional.of("not file::function");
        Path file = FORGE_TESTS.resolve(parts[0]);
        if (!Files.isRegularFile(file)) return Optional.of("no file " + file);
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!parts[1].startsWith("test") && !parts[1].startsWith("invariant"))
            return Optional.of("not a Foundry test name");
        return Pattern.compile("function\\s+" + Pattern.quote(parts[1]) + "\\s*\\(")
                        .matcher(source)
                        .find()
                ? Optional.empty()
                : Optional.of("no function " + parts[1] + " in " + file);
    }

    private static boolean isTest(Method m) {
        return Arrays.stream(m.getAnnotations())
                .map(Annotation::annotationType)
                .map(Class::getSimpleName)
                .anyMatch(TEST_ANNOTATIONS::contains);
    }

    private static boolean disabled(Annotation[] annotations) {
        return Arrays.stream(annotations)
                .anyMatch(a -> a.annotationType().getSimpleName().startsWith("Disabled"));
    }
}
