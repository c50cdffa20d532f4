package io.unwind.testing;

import io.unwind.app.node.KeeperNode;
import io.unwind.engine.TickResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Waits for a running keeper node to tick on a block (starting it on first use). */
public final class NodeTicks {
    private NodeTicks() {}

    public static TickResult await(KeeperNode node, long block) throws InterruptedException {
        AtomicReference<TickResult> seen = new AtomicReference<>();
        node.onTick(r -> {
            if (r.block().number() >= block) seen.compareAndSet(null, r);
        });
        if (node.lastTick().isEmpty()) node.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.get() == null) {
            var last = node.lastTick();
            if (last.isPresent() && last.get().block().number() >= block) return last.get();
            if (System.nanoTime() > deadline) throw new AssertionError("no tick on block " + block);
            Thread.sleep(20);
        }
        return seen.get();
    }
}
