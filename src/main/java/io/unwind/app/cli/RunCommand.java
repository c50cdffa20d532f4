package io.unwind.app.cli;

import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.app.node.KeeperNode;
import io.unwind.engine.KeeperEvents;
import io.unwind.tx.Signer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        description = {
            "Run the keeper daemon.",
            "Follows the chain block by block, deleverages or tops up every watched vault that crosses its trigger, and serves",
            "/metrics, /health, /ready and the status page at /. Stops cleanly on SIGTERM or Ctrl-C."
        },
        footer = {
            "",
            "Examples:",
            "  unwind run --config keeper.yaml",
            "  UNWIND_CONFIG=devnet/unwind.yaml unwind run",
            "  UNWIND_LOG_FORMAT=json unwind run --config keeper.yaml    # one JSON object per log line",
            "",
            "Environment: UNWIND_<SECTION>_<KEY> overrides a setting (UNWIND_JOURNAL_URL=jdbc:postgresql://...,",
            "UNWIND_CHAIN_ENDPOINTS_0_URL=https://...); UNWIND_LOG_LEVEL=DEBUG for more detail."
        })
public final class RunCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "The YAML configuration (see keystore-template/unwind.example.yaml; default: $UNWIND_CONFIG).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UnwindConfig cfg = ConfigLoader.load(
                ConfigLoader.file(config, System.getenv())
                        .orElseThrow(
                                () -> Cli.usage(
                                        spec,
                                        "which configuration? pass --config FILE (see keystore-template/unwind.example.yaml) or set UNWIND_CONFIG")));
        // A config that names a network preset is checked against the chain before anything else (the key unlock
        // included): a wrong endpoint or an out-of-date preset stops here with what to change.
        PresetGate.require(cfg);
        Signer signer = Keys.signer(cfg);
        // Unlocking a keystore ran scrypt over a 256 MiB block that is garbage now. A full collection at this quiet
        // point
        // lets the serial collector shrink the heap and give that memory back, so the daemon settles at its real size.
        System.gc();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "unwind-shutdown");
        try (KeeperNode node = new KeeperNode(cfg, signer, Clock.systemUTC(), KeeperEvents.NONE)) {
            Runtime.getRuntime().addShutdownHook(hook);
            node.start();
            node.http().ifPresent(h -> {
                spec.commandLine()
                        .getErr()
                        .println("unwind: status page http://" + cfg.http().host() + ":" + h.port()
                                + "/  (metrics /metrics, health /health, readiness /ready)");
                spec.commandLine().getErr().flush();
            });
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread()
                    .interrupt(); // stopped by whoever ran us in-process (tests): close the node and return
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook is running
            }
        }
        return ExitCodes.OK;
    }
}
