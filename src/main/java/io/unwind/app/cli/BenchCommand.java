package io.unwind.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.bench.EngineBench;
import io.unwind.app.bench.ScanBench;
import io.unwind.app.cli.ExitCodes.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmarks of docs/PERFORMANCE.md. Each starts its own local chain, sets up what it measures and prints numbers;
 * none asserts a target (targets are judged by reading the numbers, on the machine they ran on).
 */
@Command(
        name = "bench",
        description = "Measure the keeper on a local chain: health scan, head-to-broadcast latency, memory, gas.",
        subcommands = {BenchCommand.Scan.class, BenchCommand.Engine.class, BenchCommand.Gas.class},
        footer = {
            "",
            "Examples:",
            "  ./unwind bench scan --vaults 10000",
            "  ./unwind bench engine --vaults 1000 --blocks 30",
            "  ./unwind bench gas",
            "See docs/PERFORMANCE.md for what each one measures and the latest numbers."
        })
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Cli.usage(spec, "bench: name a benchmark: scan, engine or gas (unwind bench --help)");
    }

    static void quiet() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.unwind"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    /** With --json the readable lines go to stderr and the result, as one JSON object, to stdout. */
    static PrintStream text(boolean json) {
        return json ? System.err : System.out;
    }

    static void printJson(Object result) throws IOException {
        new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValue(System.out, result);
        System.out.println();
    }

    @Command(
            name = "scan",
            description =
                    "Read every vault's health through VaultLens (chunked, pinned to one block) and the "
                            + "same vaults one eth_call each, in the same run; the ratio; the process's heap and RSS holding the scan.",
            footer = {
                "",
                "Examples:",
                "  ./unwind bench scan --vaults 10000",
                "  ./unwind bench scan --vaults 1000 --chunk 250 --json"
            })
    static final class Scan implements Callable<Integer> {
        @Option(
                names = "--vaults",
                converter = Converters.Positive.class,
                defaultValue = "10000",
                description = "Vaults to open on the local chain (default ${DEFAULT-VALUE}).")
        int vaults;

        @Option(
                names = "--chunk",
                converter = Converters.Positive.class,
                defaultValue = "500",
                description = "Vaults per VaultLens call (default ${DEFAULT-VALUE}).")
        int chunk;

        @Mixin
        JsonOutput json;

        @Override
        public Integer call() throws Exception {
            quiet();
            var r = ScanBench.run(vaults, chunk, text(json.on()));
            if (json.on()) printJson(r);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "engine",
            description =
                    "Run the real keeper over many vaults while the price falls a little every block: "
                            + "scan, decide and tick times, head-to-broadcast latency, blocks from trigger to inclusion, memory.",
            footer = {
                "",
                "Examples:",
                "  ./unwind bench engine --vaults 1000 --step-bps 2",
                "  ./unwind bench engine --vaults 10000 --step-bps 0.2 --full-scan-every 4 --json"
            })
    static final class Engine implements Callable<Integer> {
        @Option(
                names = "--vaults",
                converter = Converters.Positive.class,
                defaultValue = "1000",
                description = "Vaults watched (default ${DEFAULT-VALUE}).")
        int vaults;

        @Option(
                names = "--blocks",
                converter = Converters.Positive.class,
                defaultValue = "30",
                description = "Blocks of falling price (default ${DEFAULT-VALUE}).")
        int blocks;

        @Option(
                names = "--step-bps",
                defaultValue = "20",
                description =
                        "How far the price falls every block, in basis points "
                                + "(default ${DEFAULT-VALUE}: about vaults/60 vaults cross their trigger per block; 1 gives about vaults/1250; decimals allowed).")
        java.math.BigDecimal stepBps;

        @Option(
                names = "--full-scan-every",
                converter = Converters.Positive.class,
                defaultValue = "1",
                description =
                        "strategy.fullScanEveryBlocks: 1 reads every vault "
                                + "every block (default); N lets vaults at least 3%% of LTV below their trigger at the current price wait up to N blocks.")
        int fullScanEvery;

        @Mixin
        JsonOutput json;

        @Override
        public Integer call() throws Exception {
            quiet();
            if (stepBps.signum() <= 0 || stepBps.compareTo(java.math.BigDecimal.valueOf(1000)) > 0) {
                throw new UserError(
                        ExitCodes.USAGE, "--step-bps must be above 0 and at most 1000, not " + stepBps.toPlainString());
            }
            var r = EngineBench.run(vaults, blocks, stepBps, fullScanEvery, text(json.on()));
            if (json.on()) printJson(r);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "gas",
            description =
                    "Run the Foundry gas test and print deleverage and topUp next to the bare protocol "
                            + "calls they make (the same Morpho and Uniswap calls from a borrower that checks nothing), as ratios.",
            footer = {"", "Examples:", "  ./unwind bench gas", "  ./unwind bench gas --no-run --json"})
    static final class Gas implements Callable<Integer> {
        @Option(
                names = "--contracts",
                description =
                        "The contracts directory of an Unwind checkout (default: $UNWIND_HOME/contracts, else ./contracts).")
        Path contracts;

        @Option(
                names = "--no-run",
                description = "Only print the committed snapshot (contracts/snapshots/Unwind.json); do not run forge.")
        boolean noRun;

        @Mixin
        JsonOutput json;

        @Override
        public Integer call() throws Exception {
            Path dir = contracts != null
                    ? contracts
                    : System.getenv("UNWIND_HOME") != null
                            ? Path.of(System.getenv("UNWIND_HOME"), "contracts")
                            : Path.of("contracts");
            Path forge = dir.resolve("tools/forge");
            if (!Files.isRegularFile(dir.resolve("foundry.toml"))) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "bench gas: " + dir + " is not Unwind's contracts directory (no foundry.toml); "
                                + "run it from a checkout or pass --contracts DIR");
            }
            if (!noRun) {
                if (!Files.isExecutable(forge)) {
                    throw new UserError(
                            ExitCodes.USAGE, "bench gas: " + forge + " is missing; run contracts/tools/setup.sh first");
                }
                Process p = new ProcessBuilder(
                                forge.toAbsolutePath().toString(),
                                "test",
                                "--match-path",
                                "test/gas/DeleverageGas.t.sol")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    System.err.print(output);
                    throw new UserError(ExitCodes.FAILED, "bench gas: the Foundry gas test failed (output above)");
                }
            }
            JsonNode snapshot = readSnapshot(dir.resolve("snapshots/Unwind.json"));
            if (json.on()) {
                Map<String, Long> gas = new LinkedHashMap<>();
                snapshot.properties()
                        .forEach(e ->
                                gas.put(e.getKey(), Long.parseLong(e.getValue().asText())));
                printJson(new JsonShapes.GasBench(
                        gas,
                        (double) number(snapshot, "deleverage_v3_single_hop") / number(snapshot, "bare_v3_single_hop"),
                        (double) number(snapshot, "topUp") / number(snapshot, "bare_repay")));
            } else {
                print(snapshot, System.out);
            }
            return ExitCodes.OK;
        }

        static JsonNode readSnapshot(Path file) {
            try {
                return new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw new UserError(ExitCodes.FAILED, "bench gas: cannot read " + file + ": " + e.getMessage());
            }
        }

        static void print(JsonNode s, PrintStream out) {
            out.println(
                    "Gas of the keeper's calls (isolated transactions, as a receipt shows them: 21,000 base and calldata included)");
            for (List<String> row : List.of(
                    List.of("deleverage_v3_single_hop", "bare_v3_single_hop", "deleverage, Uniswap V3 single hop"),
                    List.of("topUp", "bare_repay", "topUp from the reserve"))) {
                long vault = number(s, row.get(0));
                long bare = number(s, row.get(1));
                out.printf(
                        "  %-36s %,9d gas; bare protocol calls %,9d gas; ratio %.3fx%n",
                        row.get(2), vault, bare, (double) vault / bare);
            }
            if (s.has("deleverage_v2_single_hop")) {
                out.printf(
                        "  %-36s %,9d gas%n",
                        "deleverage, Uniswap V2 single hop", number(s, "deleverage_v2_single_hop"));
            }
        }

        private static long number(JsonNode s, String key) {
            JsonNode n = s.get(key);
            if (n == null)
                throw new UserError(
                        ExitCodes.FAILED,
                        "bench gas: the snapshot has no '" + key + "' (run without --no-run to refresh it)");
            return Long.parseLong(n.asText());
        }
    }
}
