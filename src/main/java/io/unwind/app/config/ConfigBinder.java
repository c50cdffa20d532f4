package io.unwind.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.unwind.domain.chain.Address;
import io.unwind.domain.time.DurationText;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a YAML tree to the configuration records with Jackson. The records say everything about a setting (its name,
 * type, {@link Setting default and bounds}); this class applies that generically, so a new setting is a new record
 * component and nothing here:
 *
 * <ol>
 *   <li>refuses keys no record component has (a typo must not fall back to a default), and gives a key that an
 *       environment override wrote in lower case the component's own spelling;
 *   <li>writes each missing setting's default into the tree, or says why a required one is needed;
 *   <li>lets Jackson build the records, checking each section's bounds as it is built, then the constructors of the
 *       records around it check what involves several settings; every mistake names the field's path.
 * </ol>
 */
final class ConfigBinder {
    /** The directory relative paths in the file are read from (a DeserializationContext attribute). */
    private static final String BASE = "unwind.config.base";

    static final ObjectMapper YAML = mapper();

    private ConfigBinder() {}

    private static ObjectMapper mapper() {
        SimpleModule types = new SimpleModule("unwind-config")
                .addDeserializer(Duration.class, new JsonDeserializer<>() {
                    @Override
                    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        try {
                            return DurationText.parse(p.getText());
                        } catch (IllegalArgumentException e) {
                            throw new ConfigException(
                                    "",
                                    "must be a duration like " + DurationText.EXAMPLES + ", not '" + p.getText() + "'");
                        }
                    }
                })
                .addDeserializer(Address.class, new JsonDeserializer<>() {
                    @Override
                    public Address deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        return address(p.getText());
                    }
                })
                .addKeyDeserializer(Address.class, new KeyDeserializer() {
                    @Override
                    public Object deserializeKey(String key, DeserializationContext ctxt) {
                        return address(key);
                    }
                })
                .addDeserializer(io.unwind.route.aggregator.Vendor.class, new JsonDeserializer<>() {
                    @Override
                    public io.unwind.route.aggregator.Vendor deserialize(JsonParser p, DeserializationContext ctxt)
                            throws IOException {
                        try {
                            return io.unwind.route.aggregator.Vendor.parse(p.getText());
                        } catch (IllegalArgumentException e) {
                            throw new ConfigException("", e.getMessage());
                        }
                    }
                })
                .addDeserializer(Path.class, new JsonDeserializer<>() {
                    @Override
                    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        Object base = ctxt.getAttribute(BASE);
                        Path given = Path.of(p.getText().trim());
                        return base instanceof Path b ? b.resolve(given) : given;
                    }
                });
        // Each section's bounds are checked as soon as it is built, before the record holding it is constructed:
        // "chain.id: must be at least 1" is said before a check that reads chain.id in the enclosing record.
        types.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription bean, JsonDeserializer<?> deserializer) {
                return isSection(bean.getBeanClass()) ? new Bounded(deserializer) : deserializer;
            }
        });
        ObjectMapper m = YAMLMapper.builder(new YAMLFactory())
                .addModule(new Jdk8Module())
                .addModule(types)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        // "enabled: 1" is a typo, not true
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    /** A section's deserializer that checks the section's bounds on what it built. */
    private static final class Bounded extends DelegatingDeserializer {
        Bounded(JsonDeserializer<?> section) {
            super(section);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> section) {
            return new Bounded(section);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object value = super.deserialize(p, ctxt);
            checkBounds((Record) value, "");
            return value;
        }
    }

    private static Address address(String text) {
        try {
            return Address.of(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("", e.getMessage());
        }
    }

    /**
     * {@code tree} (changed in place: defaults written in) as a {@code type}, relative paths resolved against
     * {@code base}. {@code lines} gives the file's line of a path, for messages; mistakes are ConfigExceptions.
     */
    static <T extends Record> T bind(ObjectNode tree, Class<T> type, Path base) {
        prepare(tree, type, "");
        T value;
        try {
            value = YAML.readerFor(type).withAttribute(BASE, base).readValue(tree);
        } catch (JsonMappingException e) {
            throw translate(e, tree);
        } catch (IOException e) {
            throw new ConfigException("", "cannot be read: " + ConfigLoader.firstLine(e.getMessage()));
        }
        return value;
    }

    /** {@code type} with every default, as a file that leaves its section out gets it. */
    static <T extends Record> T defaults(Class<T> type) {
        return bind(JsonNodeFactory.instance.objectNode(), type, Path.of("").toAbsolutePath());
    }

    /** A setting's name in the file: its component name, or the name its {@link JsonProperty} gives. */
    static String name(RecordComponent c) {
        // JsonProperty reaches the accessor, not the component
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    /** The names a section knows, in the order the record declares them. */
    static List<String> names(Class<?> record) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            Setting s = c.getAnnotation(Setting.class);
            if (s == null || s.inFile()) out.add(name(c));
        }
        return out;
    }

    private static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static void prepare(JsonNode node, Type type, String path) {
        Class<?> raw = raw(type);
        if (isSection(raw)) {
            if (!(node instanceof ObjectNode object)) throw new ConfigException(path, "must be a mapping");
            prepareRecord(object, raw, path);
        } else if (List.class.isAssignableFrom(raw) && node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) prepare(array.get(i), arg(type, 0), path + "[" + i + "]");
        } else if (raw == Optional.class) {
            prepare(node, arg(type, 0), path);
        }
    }

    private static void prepareRecord(ObjectNode object, Class<?> record, String path) {
        List<String> known = names(record);
        for (String f : fieldNames(object)) {
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
            throw new ConfigException(at(path, f), "unknown setting (known here: " + String.join(", ", known) + ")");
        }
        for (RecordComponent c : record.getRecordComponents()) {
            Setting s = c.getAnnotation(Setting.class);
            if (s != null && !s.inFile()) continue;
            String name = name(c);
            JsonNode v = object.get(name);
            if (v == null || v.isNull()) {
                object.remove(name); // a section whose settings are all commented out is null: its defaults apply
                if (s != null && !s.required().isEmpty()) throw new ConfigException(at(path, name), s.required());
                if (s != null && !s.def().isEmpty()) {
                    object.set(name, defaultNode(s.def()));
                } else if (isSection(c.getType()) || Map.class.isAssignableFrom(c.getType())) {
                    object.set(name, JsonNodeFactory.instance.objectNode());
                } else if (List.class.isAssignableFrom(c.getType())) {
                    object.set(name, JsonNodeFactory.instance.arrayNode());
                } else if (c.getType() == Optional.class) {
                    object.set(name, JsonNodeFactory.instance.nullNode()); // read as Optional.empty()
                    continue;
                } else {
                    continue; // the record's constructor gives the default (it depends on other settings)
                }
                v = object.get(name);
            }
            prepare(v, c.getGenericType(), at(path, name));
        }
    }

    private static JsonNode defaultNode(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("a setting's default is not YAML: " + text, e);
        }
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A record of settings (a section or an item of a list of them), not a value such as an Address. */
    private static boolean isSection(Class<?> c) {
        return c.isRecord() && c.getPackage() == ConfigBinder.class.getPackage();
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        return Object.class;
    }

    private static Type arg(Type t, int i) {
        return t instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
    }

    /** Every {@link Setting} bound of {@code value}, a record bound at {@code path}. */
    private static void checkBounds(Record value, String path) {
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            checkValue(v, c.getAnnotation(Setting.class), at(path, name(c)));
        }
    }

    private static void checkValue(Object v, Setting s, String path) {
        if (v instanceof Optional<?> o) {
            if (o.isPresent()) checkValue(o.get(), s, path);
        } else if (v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) checkValue(list.get(i), s, path + "[" + i + "]");
        } else if (v instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) checkValue(e.getValue(), s, at(path, String.valueOf(e.getKey())));
        } else if (v instanceof Record r && isSection(r.getClass())) {
            checkBounds(r, path);
        } else if (s != null && v != null) {
            checkBound(v, s, path);
        }
    }

    private static void checkBound(Object v, Setting s, String path) {
        if (!s.pattern().isEmpty() && !v.toString().matches(s.pattern())) {
            throw new ConfigException(path, "must be " + s.hint() + (s.echo() ? " (got '" + v + "')" : ""));
        }
        if (s.min().isEmpty() && s.max().isEmpty() && s.above().isEmpty()) return;
        String shown = v instanceof Duration d ? DurationText.format(d) : v.toString();
        if (!s.above().isEmpty() && compare(v, s.above()) <= 0) {
            throw new ConfigException(path, "must be > " + s.above() + ", not " + shown);
        }
        boolean low = !s.min().isEmpty() && compare(v, s.min()) < 0;
        boolean high = !s.max().isEmpty() && compare(v, s.max()) > 0;
        if (!low && !high) return;
        if (!s.min().isEmpty() && !s.max().isEmpty()) {
            throw new ConfigException(path, "must be between " + s.min() + " and " + s.max() + ", not " + shown);
        }
        String bound = low ? "must be at least " + s.min() : "must be at most " + s.max();
        throw new ConfigException(path, bound + ", not " + shown);
    }

    private static int compare(Object v, String bound) {
        if (v instanceof Duration d) return d.compareTo(DurationText.parse(bound));
        if (v instanceof Number n) return new BigDecimal(n.toString()).compareTo(new BigDecimal(bound));
        throw new IllegalStateException("a bound on a " + v.getClass().getSimpleName() + " setting");
    }

    /** Jackson's complaint as the operator needs it: the field's path, and what it must be. */
    private static ConfigException translate(JsonMappingException e, JsonNode tree) {
        String path = path(e.getPath());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) return c.under(path);
        }
        JsonNode node = tree;
        for (var r : e.getPath()) {
            if (node == null) break;
            node = r.getIndex() >= 0 ? node.get(r.getIndex()) : node.get(r.getFieldName());
        }
        String shown = node == null ? "" : node.isValueNode() ? node.asText() : node.toString();
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (e instanceof InvalidFormatException f && f.getValue() != null) shown = String.valueOf(f.getValue());
        String problem;
        if (target == null) {
            problem = "cannot be read: " + e.getOriginalMessage();
        } else if (List.of(int.class, Integer.class, long.class, Long.class).contains(target)) {
            problem = "must be a whole number, not '" + shown + "'";
        } else if (List.of(double.class, Double.class, BigDecimal.class).contains(target)) {
            problem = "must be a number, not '" + shown + "'";
        } else if (target == boolean.class || target == Boolean.class) {
            problem = "must be true or false, not '" + shown + "'";
        } else if (Collection.class.isAssignableFrom(target)) {
            problem = "must be a list";
        } else if (isSection(target) || Map.class.isAssignableFrom(target)) {
            problem = "must be a mapping";
        } else if (target == String.class) {
            problem = "must be a single value";
        } else {
            problem = "cannot be read: " + e.getOriginalMessage();
        }
        return new ConfigException(path, problem);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (var r : refs) {
            if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
            else if (r.getFieldName() != null) b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
        }
        return b.toString();
    }

    /** The line each path starts on in {@code yaml} ("chain.endpoints[0].url" -> 16), for messages. */
    static Map<String, Integer> lines(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonStreamContext c = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) c = c.getParent();
                else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) continue;
                lines.putIfAbsent(path(c), p.currentTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // the tree was read from the same text: nothing to add
        }
        return lines;
    }

    private static String path(JsonStreamContext c) {
        Deque<String> parts = new ArrayDeque<>();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            else if (c.getCurrentName() != null) parts.push("." + c.getCurrentName());
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
