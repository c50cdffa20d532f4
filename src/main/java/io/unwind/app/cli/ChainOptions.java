package io.unwind.app.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command finds the chain: the keeper's configuration (its first endpoint, chain id, contracts and vaults),
 * or an RPC URL and a deployment file, or both (the URL then overrides the config's endpoints).
 */
public final class ChainOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:UNWIND_CONFIG}",
            description = "Keeper configuration to take the chain, contracts and vaults from (default: $UNWIND_CONFIG).")
    Path config;

    @Option(names = "--rpc", paramLabel = "URL", description = "JSON-RPC endpoint; overrides the config's endpoints.")
    URI rpc;

    @Option(names = "--deployment", paramLabel = "FILE",
            description = "Contract addresses (the deployment.json written by `unwind devnet`); overrides the config's.")
    Path deployment;

    ChainContext open() {
        return ChainContext.open(this);
    }
}
