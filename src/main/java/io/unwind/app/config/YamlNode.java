package io.unwind.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.time.DurationText;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A YAML node with its path, so that every problem names the field ("market.lltv: ..."): the scenario files' reader
 * (the keeper's config is bound by {@link ConfigBinder}).
 */
public final class YamlNode {
    final JsonNode n;
    public final String path;

    public YamlNode(JsonNode n, String path) {
        this.n = n;
        this.path = path;
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public YamlNode req(String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) throw new ConfigException(at(key), "is required");
        return new YamlNode(v, at(key));
    }

    public Optional<YamlNode> opt(String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(new YamlNode(v, at(key)));
    }

    /** Refuses keys this level does not know: a typo must not silently fall back to a default. */
    public void only(String... keys) {
        if (!n.isObject()) throw new ConfigException(path, "must be a mapping");
        List<String> known = List.of(keys);
        var object = (com.fasterxml.jackson.databind.node.ObjectNode) n;
        List<String> fields = new ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);
        for (String f : fields) {
            if (known.contains(f)) continue;
            // An environment override of a setting the file does not have arrives in lower case
            // (UNWIND_GAS_STUCKAFTERBLOCKS): it takes the setting's own spelling.
            Optional<String> spelled = known.stream()
                    .filter(k -> k.equalsIgnoreCase(f) && !object.has(k))
                    .findFirst();
            if (spelled.isPresent()) {
                object.set(spelled.get(), object.remove(f));
                continue;
            }
            throw new ConfigException(at(f), "unknown setting (known here: " + String.join(", ", known) + ")");
        }
    }

    public String text() {
        if (!n.isValueNode()) throw new ConfigException(path, "must be a single value");
        return n.asText().trim();
    }

    public boolean bool() {
        String t = text().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) return Boolean.parseBoolean(t);
        throw new ConfigException(path, "must be true or false, not '" + t + "'");
    }

    public int intIn(int min, int max) {
        try {
            int v = Integer.parseInt(text());
            if (v < min || v > max)
                throw new ConfigException(path, "must be between " + min + " and " + max + ", not " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be a whole number, not '" + text() + "'");
        }
    }

    public BigDecimal positiveDecimal() {
        try {
            BigDecimal v = new BigDecimal(text());
            if (v.signum() <= 0) throw new ConfigException(path, "must be > 0");
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be a number, not '" + text() + "'");
        }
    }

    /** A duration in the grammar config and command line share ({@link DurationText}). */
    public Duration duration() {
        try {
            return DurationText.parse(text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    path, "must be a duration like " + DurationText.EXAMPLES + ", not '" + text() + "'");
        }
    }

    public <T> List<T> list(Function<YamlNode, T> item) {
        if (!n.isArray()) throw new ConfigException(path, "must be a list");
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) out.add(item.apply(new YamlNode(n.get(i), path + "[" + i + "]")));
        return out;
    }
}
