package io.unwind.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every setting the records declare has its documented line in keystore-template/unwind.example.yaml (set or commented
 * out): a new setting is its record component, that line, and the code that uses it.
 */
@Tag("pure")
class ExampleConfigTest {
    @Test
    void everySettingIsDocumentedInTheExampleFile() throws IOException {
        String example = Files.readString(Path.of("keystore-template/unwind.example.yaml"));
        List<String> missing = new ArrayList<>();
        walk(UnwindConfig.class, "", example, missing);
        assertThat(missing).as("settings without a line in unwind.example.yaml").isEmpty();
    }

    private static void walk(Class<?> record, String path, String example, List<String> missing) {
        for (RecordComponent c : record.getRecordComponents()) {
            Setting s = c.getAnnotation(Setting.class);
            if (s != null && !s.inFile()) continue;
            String name = ConfigBinder.name(c);
            String at = path.isEmpty() ? name : path + "." + name;
            if (!example.matches("(?s).*[\\s{,]" + java.util.regex.Pattern.quote(name) + ":.*")) missing.add(at);
            Class<?> inner = section(c.getGenericType());
            if (inner != null) walk(inner, at, example, missing);
        }
    }

    /** The section a component holds (directly, in a list or in an Optional), or null for a plain value. */
    private static Class<?> section(Type t) {
        if (t instanceof Class<?> c) return c.isRecord() && c.getPackage() == Setting.class.getPackage() ? c : null;
        if (t instanceof ParameterizedType p && (p.getRawType() == List.class || p.getRawType() == Optional.class)) {
            return section(p.getActualTypeArguments()[0]);
        }
        return null;
    }
}
