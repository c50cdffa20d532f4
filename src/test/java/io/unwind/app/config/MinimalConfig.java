package io.unwind.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The smallest configuration that loads (one endpoint, Morpho and the lens, one vault, a keystore), for the loader's
 * tests.
 */
final class MinimalConfig {
    static final String YAML = """
            chain: {id: 1, endpoints: [{url: "http://127.0.0.1:8545"}]}
            contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
            vaults: ["0x0000000000000000000000000000000000000003"]
            keeper: {keystore: key.json, passwordEnv: KEY_PW}
            """;

    private MinimalConfig() {}

    /** Writes {@code yaml} as dir/unwind.yaml and loads it with exactly {@code env} as the environment. */
    static UnwindConfig load(Path dir, String yaml, Map<String, String> env) throws IOException {
        Path f = dir.resolve("unwind.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, env);
    }
}
