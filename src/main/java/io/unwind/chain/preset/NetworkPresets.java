package io.unwind.chain.preset;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network presets on the classpath ({@code presets/<name>.yaml}, written by {@code tools/presets/generate.mjs}). A
 * file that does not have the expected shape is a build defect and fails loudly.
 */
public final class NetworkPresets {
    /** Every preset the build carries, in the order they are listed. */
    public static final List<String> NAMES = List.of("ethereum", "base", "arbitrum", "optimism");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private NetworkPresets() {}

    /** The file's shape, as Jackson reads it. */
    record File(
            String name,
            long chainId,
            String kind,
            LinkedHashMap<String, FileEntry> addresses,
            LinkedHashMap<String, String> notListed) {}

    record FileEntry(String address, String source, String note) {}

    /** The preset {@code name}; an unknown name is refused with the names there are. */
    public static NetworkPreset load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "no network preset '" + name + "': the presets are " + String.join(", ", NAMES));
        }
        String resource = "presets/" + name + ".yaml";
        try (InputStream in = NetworkPresets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the build");
            return parse(name, YAML.readValue(in, File.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public static List<NetworkPreset> all() {
        return NAMES.stream().map(NetworkPresets::load).toList();
    }

    /** The preset for {@code chain}, if the build has one. */
    public static Optional<NetworkPreset> forChain(ChainId chain) {
        return all().stream().filter(p -> p.chainId().equals(chain)).findFirst();
    }

    private static NetworkPreset parse(String name, File f) {
        if (!name.equals(f.name())) {
            throw new IllegalStateException("presets/" + name + ".yaml names itself '" + f.name() + "'");
        }
        if (f.addresses() == null || f.addresses().isEmpty()) {
            throw new IllegalStateException("presets/" + name + ".yaml has no addresses");
        }
        Map<String, NetworkPreset.Entry> entries = new LinkedHashMap<>();
        f.addresses().forEach((key, e) -> {
            try {
                entries.put(
                        key,
                        new NetworkPreset.Entry(
                                key, Address.of(e.address()), e.source(), Optional.ofNullable(e.note())));
            } catch (RuntimeException ex) {
                throw new IllegalStateException("presets/" + name + ".yaml, " + key + ": " + ex.getMessage(), ex);
            }
        });
        return new NetworkPreset(
                name,
                ChainId.of(f.chainId()),
                NetworkPreset.Kind.of(f.kind()),
                entries,
                f.notListed() == null ? Map.of() : f.notListed());
    }
}
