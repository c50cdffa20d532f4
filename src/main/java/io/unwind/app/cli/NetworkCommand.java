package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.chain.preset.NetworkPreset;
import io.unwind.chain.preset.NetworkPresets;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code unwind network}: the network presets the build carries (each address with the npm package it was read from),
 * and a check of an RPC endpoint against one.
 */
@Command(
        name = "network",
        description = {
            "The network presets: Morpho Blue, Aave V3, Uniswap, the 1inch router and the wrapped native token on"
                    + " Ethereum, Base, Arbitrum and Optimism, each address with the package it was read from.",
            "Name one in the config (chain.preset) to have `unwind run` check the chain against it at start."
        },
        subcommands = {NetworkCommand.ListPresets.class, NetworkCommand.Show.class, NetworkCommand.Check.class},
        footer = {
            "",
            "Examples:",
            "  unwind network list",
            "  unwind network show base --json",
            "  unwind network check ethereum --rpc https://eth.example",
            "  unwind network check --config keeper.yaml        # its chain.preset, against each of its endpoints"
        })
public final class NetworkCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "list",
            description = "List the network presets: chain id, kind, how many addresses each has.",
            footer = {"", "Examples:", "  unwind network list", "  unwind network list --json"})
    static final class ListPresets implements Callable<Integer> {
        @Mixin
        JsonOutput json;

        @Override
        public Integer call() {
            List<NetworkPreset> all = NetworkPresets.all();
            if (json.on()) {
                json.print(all.stream().map(NetworkCommand::json).toList());
                return ExitCodes.OK;
            }
            Table t = new Table("NAME", "CHAIN", "KIND", "ADDRESSES", "NOT LISTED");
            for (NetworkPreset p : all) {
                t.row(
                        p.name(),
                        p.chainId(),
                        p.kind().label(),
                        p.addresses().size(),
                        p.notListed().size());
            }
            t.print(json.out());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "show",
            description = "Show a network preset: each address and the package export it was read from.",
            footer = {"", "Example:", "  unwind network show arbitrum"})
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "ethereum, base, arbitrum or optimism.")
        String name;

        @Mixin
        JsonOutput json;

        @Override
        public Integer call() {
            NetworkPreset p = preset(name);
            if (json.on()) {
                json.print(json(p));
                return ExitCodes.OK;
            }
            PrintWriter o = json.out();
            o.println(p.name() + ": chain " + p.chainId() + ", " + p.kind().label());
            Table t = new Table("NAME", "ADDRESS", "SOURCE");
            for (NetworkPreset.Entry e : p.addresses().values()) t.row(e.name(), e.address(), e.source());
            t.print(o);
            for (NetworkPreset.Entry e : p.addresses().values()) {
                e.note().ifPresent(n -> o.println("  " + e.name() + ": " + n));
            }
            if (!p.notListed().isEmpty()) {
                o.println("not in the preset (no maintained package lists them):");
                p.notListed().forEach((k, why) -> o.println("  " + k + ": " + why));
            }
            o.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "check",
            description = {
                "Check an RPC endpoint against a network preset: the chain id it reports and code at each of the"
                        + " preset's addresses.",
                "Exit 2 with what differs: the endpoint is on another chain, or the preset is out of date."
            },
            footer = {
                "",
                "Examples:",
                "  unwind network check base --rpc https://base.example",
                "  unwind network check --config keeper.yaml --json"
            })
    static final class Check implements Callable<Integer> {
        @Parameters(
                paramLabel = "NAME",
                arity = "0..1",
                description = "ethereum, base, arbitrum or optimism (default: the config's chain.preset).")
        String name;

        @Option(names = "--rpc", paramLabel = "URL", description = "The JSON-RPC endpoint to check.")
        URI rpc;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                description = "Check each endpoint of this keeper configuration (default: $UNWIND_CONFIG, when no"
                        + " --rpc is given).")
        Path config;

        @Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Optional<UnwindConfig> cfg = (rpc == null
                            ? ConfigLoader.file(config, System.getenv())
                            : Optional.ofNullable(config))
                    .map(ConfigLoader::load);
            String chosen = Optional.ofNullable(name)
                    .or(() -> cfg.flatMap(c -> c.chain().preset()))
                    .orElseThrow(() -> Cli.usage(
                            spec, "which network? name a preset (" + String.join(", ", NetworkPresets.NAMES) + ")"));
            NetworkPreset p = preset(chosen);
            List<PresetGate.Endpoint> endpoints = rpc != null
                    ? List.of(new PresetGate.Endpoint("", rpc))
                    : cfg.map(c -> c.chain().endpoints().stream()
                                    .map(e -> new PresetGate.Endpoint(e.name(), e.url()))
                                    .toList())
                            .orElseThrow(() -> Cli.usage(spec, "which endpoint? pass --rpc URL or --config FILE"));
            Duration timeout = cfg.map(c -> c.chain().callTimeout()).orElse(Duration.ofSeconds(15));
            PresetGate.Result r = PresetGate.check(p, endpoints, timeout);
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int exit = !r.mismatches().isEmpty()
                    ? ExitCodes.USAGE
                    : r.checked() == 0 || !r.unreachable().isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
            if (json.on()) {
                json.print(new JsonShapes.NetworkChecked(
                        p.name(), p.chainId().value(), r.checked(), r.unreachable(), r.mismatches()));
                return exit;
            }
            r.unreachable().forEach(u -> err.println("unwind: cannot reach " + u));
            r.mismatches().forEach(m -> err.println("unwind: " + m));
            err.flush();
            if (!r.mismatches().isEmpty()) return exit;
            if (r.checked() == 0) {
                throw new UserError(ExitCodes.FAILED, "no endpoint answered: nothing was checked");
            }
            o.println(p.name() + ": " + r.checked() + " endpoint(s) on chain " + p.chainId() + ", code at all "
                    + p.addresses().size() + " addresses");
            o.flush();
            return exit;
        }
    }

    private static NetworkPreset preset(String name) {
        try {
            return NetworkPresets.load(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static JsonShapes.NetworkPresetJson json(NetworkPreset p) {
        return new JsonShapes.NetworkPresetJson(
                p.name(),
                p.chainId().value(),
                p.kind().label(),
                p.addresses().values().stream()
                        .map(e -> new JsonShapes.PresetAddress(
                                e.name(),
                                e.address().hex(),
                                e.source(),
                                e.note().orElse(null)))
                        .toList(),
                p.notListed());
    }
}
