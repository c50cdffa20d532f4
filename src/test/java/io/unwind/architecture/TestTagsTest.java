package io.unwind.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every test class says what it needs, so {@code ./unwind test --fast} (the {@code pure} tag) runs exactly the tests
 * that need nothing outside the JVM: {@code chain} starts anvil, {@code process} starts a keeper or another program,
 * {@code postgres} needs a PostgreSQL server, {@code browser} needs chromium.
 */
@Tag("pure")
class TestTagsTest {
    static final Set<String> TAGS = Set.of("pure", "chain", "process", "postgres", "browser");
    private static final Set<String> TEST_ANNOTATIONS = Set.of(
            "org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest",
            "org.junit.jupiter.api.TestFactory",
            "org.junit.jupiter.api.RepeatedTest",
            "net.jqwik.api.Property",
            "net.jqwik.api.Example");

    @Test
    void everyTestClassCarriesOneOfTheTagsAndPureMeansNothingElse() {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("io.unwind");
        List<String> untagged = new ArrayList<>();
        int checked = 0;
        for (JavaClass c : tests) {
            boolean hasTests = c.getMethods().stream()
                    .anyMatch(m -> m.getAnnotations().stream()
                            .anyMatch(a ->
                                    TEST_ANNOTATIONS.contains(a.getRawType().getName())));
            if (!hasTests) continue;
            checked++;
            List<String> own = new ArrayList<>(tagsOf(c));
            c.getEnclosingClass().ifPresent(outer -> own.addAll(tagsOf(outer))); // @Nested inherits its tags
            List<String> tags = own.stream().distinct().toList();
            if (tags.isEmpty() || !TAGS.containsAll(tags) || (tags.contains("pure") && tags.size() > 1)) {
                untagged.add(c.getName() + " " + tags);
            }
        }
        assertThat(checked).as("test classes found").isGreaterThan(80);
        assertThat(untagged).as("test classes without exactly the tags " + TAGS).isEmpty();
    }

    private static List<String> tagsOf(JavaClass c) {
        List<String> tags = new ArrayList<>();
        c.getAnnotations().forEach(a -> {
            String type = a.getRawType().getName();
            if (type.equals("org.junit.jupiter.api.Tag") || type.equals("net.jqwik.api.Tag")) {
                tags.add(String.valueOf(a.get("value").orElseThrow()));
            } else if (type.equals("org.junit.jupiter.api.Tags") || type.equals("net.jqwik.api.Tags")) {
                for (Object t : (Object[]) a.get("value").orElseThrow()) {
                    tags.add(String.valueOf(((JavaAnnotation<?>) t).get("value").orElseThrow()));
                }
            }
        });
        return tags;
    }
}
