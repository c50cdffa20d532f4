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

    /** How long a chain that could not start waits before it is tried again (its RPC was down, say). */
    static final java.time.Duration RETRY_START = java.time.Duration.ofSeconds(15);

    @Override
    public Integer call() throws Exception {
        java.util.List<ConfigLoader.ChainConfig> chains = ConfigLoader.loadChains(
                ConfigLoader.file(config, System.getenv())
                        .orElseThrow(
                                () -> Cli.usage(
                                        spec,
                                        "which configuration? pass --config FILE (see keystore-template/unwind.example.yaml) or set UNWIND_CONFIG")),
                System.getenv());
        if (chains.size() > 1) return runChains(chains);
        UnwindConfig cfg = chains.get(0).config();
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

    /**
     * Several chains in one process: one keeper per chain, each with its own endpoints, head tracker, fee model, key
     * and nonces, scheduler and status page, and every metric labelled with its chain. They share nothing that a chain
     * going down could hold up: a chain whose RPC is down at start is tried again every {@link #RETRY_START} while the
     * others run.
     */
    private int runChains(java.util.List<ConfigLoader.ChainConfig> chains) throws Exception {
        for (ConfigLoader.ChainConfig c : chains) PresetGate.require(c.config());
        java.util.Map<String, Signer> keys = new java.util.HashMap<>();
        java.util.List<KeeperNode> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "unwind-shutdown");
        java.util.List<Thread> retries = new java.util.ArrayList<>();
        try {
            for (ConfigLoader.ChainConfig c : chains) {
                UnwindConfig cfg = c.config();
                Signer signer = cfg.keeper().devAccount().isPresent()
                        ? Keys.signer(cfg)
                        : keys.computeIfAbsent(
                                cfg.keeper()
                                        .keystore()
                                        .orElseThrow()
                                        .toAbsolutePath()
                                        .toString(),
                                k -> Keys.signer(cfg));
                if (!startChain(c, signer, nodes)) {
                    Thread retry = Thread.ofVirtual()
                            .name("unwind-start-" + c.name())
                            .start(() -> {
                                try {
                                    do Thread.sleep(RETRY_START);
                                    while (!startChain(c, signer, nodes));
                                } catch (InterruptedException e) {
                                    // stopping
                                }
                            });
                    retries.add(retry);
                }
            }
            System.gc(); // as for one chain: the keystore's scrypt garbage goes before the daemon settles
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by whoever ran us in-process (tests)
        } finally {
            retries.forEach(Thread::interrupt);
            for (Thread t : retries) t.join(5_000);
            for (KeeperNode n : nodes) n.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook is running
            }
        }
        return ExitCodes.OK;
    }

    /** Starts one chain's keeper; false (and said) when its chain cannot be used now. */
    private boolean startChain(ConfigLoader.ChainConfig c, Signer signer, java.util.List<KeeperNode> nodes) {
        KeeperNode node = new KeeperNode(
                c.config(), signer, Clock.systemUTC(), KeeperEvents.NONE, java.util.Optional.of(c.name()));
        try {
            node.start();
        } catch (RuntimeException e) {
            node.close();
            var err = spec.commandLine().getErr();
            err.println("unwind: chain " + c.name() + " (" + c.config().chain().id() + ") is not protected yet: "
                    + e.getMessage() + "; trying again every " + RETRY_START.toSeconds()
                    + " s, the other chains run meanwhile");
            err.flush();
            return false;
        }
        nodes.add(node);
        node.http().ifPresent(h -> {
            var err = spec.commandLine().getErr();
            err.println("unwind: chain " + c.name() + " (" + c.config().chain().id() + "): status page http://"
                    + c.config().http().host() + ":" + h.port()
                    + "/  (metrics /metrics, health /health, readiness /ready)");
            err.flush();
        });
        return true;
    }
}
