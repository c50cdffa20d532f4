package io.unwind.app.node;

import io.unwind.domain.chain.BlockRef;
import io.unwind.engine.MarketMapRefresher;
import io.unwind.engine.MarketMapView;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the liquidation maps on its own thread, once per new head: never on the keeper's tick thread, never two at
 * once; heads that arrive during a refresh fold into one more refresh at the newest head. A failure is said once per
 * outage (and once more when the maps are back); the keeper goes on with the maps it has.
 */
final class MarketMapJob implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MarketMapJob.class);

    private final Function<BlockRef, List<MarketMapView>> refresher;
    private final java.util.concurrent.atomic.AtomicReference<BlockRef> newest =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Consumer<List<MarketMapView>> refreshed;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("unwind-liqmap").daemon().factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private BlockRef lastDone;
    private boolean failing;

    /** @param refresher {@link MarketMapRefresher#refresh}: a failure is thrown */
    MarketMapJob(Function<BlockRef, List<MarketMapView>> refresher, Consumer<List<MarketMapView>> refreshed) {
        this.refresher = refresher;
        this.refreshed = refreshed;
    }

    /** A new head: a refresh is queued unless one already is. Returns at once. */
    void onHead(BlockRef head) {
        newest.set(head);
        if (queued.compareAndSet(false, true)) {
            try {
                thread.execute(this::run);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false); // closing
            }
        }
    }

    private void run() {
        queued.set(false);
        BlockRef h = newest.get();
        if (h == null || h.equals(lastDone)) return;
        try {
            List<MarketMapView> views = refresher.apply(h);
            lastDone = h;
            if (failing) log.info("liquidation maps refreshed again at block {}", h.number());
            failing = false;
            refreshed.accept(views);
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn(
                        "liquidation maps not refreshed at block {}: {}; the keeper goes on with the last maps (said"
                                + " again when they refresh)",
                        h.number(),
                        e.toString());
            } else {
                log.debug("liquidation maps still not refreshed at block {}: {}", h.number(), e.toString());
            }
            failing = true;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) log.debug("a liquidation map refresh is still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
