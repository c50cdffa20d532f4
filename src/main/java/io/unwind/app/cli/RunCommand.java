package io.unwind.app.cli;

import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.app.engine.KeeperEvents;
import io.unwind.app.node.KeeperNode;
import io.unwind.tx.Signer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Run the keeper daemon with a configuration file.",
        footer = {"", "Example:", "  unwind run --config keeper.yaml",
            "Environment: UNWIND_<SECTION>_<KEY> overrides a setting (UNWIND_JOURNAL_URL=jdbc:postgresql://...)."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "The YAML configuration (see keystore-template/unwind.example.yaml).")
    Path config;

    @Override
    public Integer call() throws Exception {
        UnwindConfig cfg = ConfigLoader.load(config);
        Signer signer = Keys.signer(cfg);
        CountDownLatch stop = new CountDownLatch(1);
        try (KeeperNode node = new KeeperNode(cfg, signer, Clock.systemUTC(), KeeperEvents.NONE)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "unwind-shutdown"));
            node.start();
            node.http().ifPresent(h -> System.err.println("unwind: metrics and status on http://" + cfg.http().host() + ":" + h.port()));
            stop.await();
        }
        return ExitCodes.OK;
    }
}
