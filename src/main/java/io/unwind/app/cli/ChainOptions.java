package io.unwind.app.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command finds the chain: the keeper's configuration (its first endpoint, chain id, contracts and vaults), or
 * an RPC URL and a deployment file, or both (the URL then overrides the config's endpoints).
 */
public final class ChainOptions {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "Keeper configuration to take the chain, contracts and vaults from (default: $UNWIND_CONFIG).")
    Path config;

    @Option(names = "--rpc", paramLabel = "URL", description = "JSON-RPC endpoint; overrides the config's endpoints.")
    URI rpc;

    @Option(
            names = "--deployment",
            paramLabel = "FILE",
            description =
                    "Contract addresses (the deployment.json written by `unwind devnet`); overrides the config's.")
    Path deployment;

    @Option(
            names = "--chain",
            paramLabel = "NAME",
            description = "With a config of several chains (chains:), the one to use, by its name.")
    String chain;

    /** The configuration: --config, else $UNWIND_CONFIG (empty counts as unset), else none. */
    java.util.Optional<Path> configFile() {
        return io.unwind.app.config.ConfigLoader.file(config, System.getenv());
    }

    /** The configuration of the chain to use: the file's only one, or the one --chain names. */
    java.util.Optional<io.unwind.app.config.UnwindConfig> loadConfig() {
        return configFile()
                .map(f -> io.unwind.app.config.ConfigLoader.load(
                        f, System.getenv(), java.util.Optional.ofNullable(chain)));
    }

    ChainContext open() {
        return ChainContext.open(this);
    }
}
