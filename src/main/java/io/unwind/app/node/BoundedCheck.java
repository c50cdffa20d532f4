package io.unwind.app.node;

import io.unwind.app.http.StatusServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A readiness check that answers within a bound: a probe that blocks (a database that is down makes its pool wait for a
 * connection for seconds) is reported as failing once the bound passes, so that {@code /ready} answers a 1-second probe
 * in time. One probe runs at a time: a caller that comes while it is still running waits on the same one, so a hung
 * dependency does not pile up threads.
 */
final class BoundedCheck implements Supplier<StatusServer.Check> {
    private final Supplier<StatusServer.Check> probe;
    private final Duration bound;
    private final String what;
    private final AtomicReference<CompletableFuture<StatusServer.Check>> running = new AtomicReference<>();

    BoundedCheck(Supplier<StatusServer.Check> probe, Duration bound, String what) {
        this.probe = probe;
        this.bound = bound;
        this.what = what;
    }

    @Override
    public StatusServer.Check get() {
        CompletableFuture<StatusServer.Check> f = running.get();
        if (f == null || f.isDone()) {
            CompletableFuture<StatusServer.Check> fresh = new CompletableFuture<>();
            if (running.compareAndSet(f, fresh)) {
                Thread.ofVirtual().name("unwind-ready-" + what).start(() -> {
                    try {
                        fresh.complete(probe.get());
                    } catch (RuntimeException e) {
                        fresh.complete(new StatusServer.Check(false, "failed: " + e.getMessage()));
                    }
                });
            }
            f = running.get();
        }
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new StatusServer.Check(
                    false, "no answer within " + bound.toMillis() + " ms: " + what + " is down or too slow");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StatusServer.Check(false, "interrupted");
        } catch (ExecutionException e) {
            return new StatusServer.Check(false, "failed: " + e.getCause().getMessage());
        }
    }
}
