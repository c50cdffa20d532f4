package io.unwind.app.cli;

import io.unwind.app.sim.ScenarioLoader;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        description = "Watch Unwind save a vault: a built-in ETH crash on a local chain, "
                + "one protected vault and one unprotected, with a readable timeline.",
        footer = {"", "Example:", "  ./unwind demo"})
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--http-port",
            description = "Serve the keeper's status page and metrics on this port while it runs.")
    Integer httpPort;

    @Mixin
    JsonOutput json;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print the keeper's own log lines (decisions, transactions).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        return SimulateCommand.run(
                ScenarioLoader.builtIn("demo"), json.on(), Optional.ofNullable(httpPort), 5, verbose);
    }
}
