package io.unwind.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.unwind.app.sim.Scenario;
import io.unwind.app.sim.ScenarioLoader;
import io.unwind.app.sim.SimulationReport;
import io.unwind.app.sim.SimulationRunner;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "simulate",
        description = "Play a scenario (a market crash) on a local chain against the real keeper.",
        footer = {
            "",
            "Example:",
            "  unwind simulate --scenario scenarios/eth-crash.yaml --json > report.json",
            "Exit code 3 when a vault the keeper protects was liquidated; 1 when the run stopped before its last block",
            "(the report, up to where it stopped, is still printed, its error field saying why); 2 for a scenario",
            "that does not load (nothing is played)."
        })
public final class SimulateCommand implements Callable<Integer> {
    @Option(
            names = {"-s", "--scenario"},
            required = true,
            description = "The scenario YAML file.")
    Path scenario;

    @Mixin
    JsonOutput json;

    @Option(
            names = "--http-port",
            description = "Serve the keeper's status page and metrics on this port while it runs.")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        Scenario s = ScenarioLoader.load(scenario);
        return run(s, json.on(), Optional.ofNullable(httpPort), 5, verbose);
    }

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print the keeper's own log lines (decisions, transactions).")
    boolean verbose;

    static int run(Scenario s, boolean json, Optional<Integer> httpPort, int every, boolean verbose) throws Exception {
        // The timeline tells the story; the keeper's log lines are for --verbose. The level is put back afterwards, so
        // that a simulation run inside another program (or a test) does not silence its log for good.
        var unwindLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.unwind");
        ch.qos.logback.classic.Level before = unwindLog.getLevel();
        if (!verbose) unwindLog.setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            return simulate(s, json, httpPort, every);
        } finally {
            unwindLog.setLevel(before);
        }
    }

    private static int simulate(Scenario s, boolean json, Optional<Integer> httpPort, int every) throws Exception {
        TimelinePrinter printer = new TimelinePrinter(json ? System.err : System.out, every);
        SimulationRunner.Options options = new SimulationRunner.Options(
                httpPort, SimulationRunner.Options.defaults().tickTimeout());
        SimulationReport r =
                new SimulationRunner(s, options, json ? new SimulationRunner.Listener() {} : printer).run();
        if (json) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(System.out, r);
            System.out.println();
        } else {
            printer.summary(r);
        }
        if (r.error() != null) System.err.println("unwind: the simulation stopped early: " + r.error());
        return exitCode(r);
    }

    /**
     * 1 for a run that stopped early, whatever it saw before: a partial run proves nothing, and a script must not read
     * it as a pass (nor as the keeper's failure, which 3 means); else 3 when a protected vault was liquidated, else 0.
     */
    static int exitCode(SimulationReport r) {
        if (r.error() != null) return ExitCodes.FAILED;
        return r.keeper().protectedLiquidated() > 0 ? ExitCodes.PROTECTED_VAULT_LIQUIDATED : ExitCodes.OK;
    }
}
