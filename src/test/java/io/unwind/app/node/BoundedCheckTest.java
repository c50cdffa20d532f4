package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.http.StatusServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** /ready's journal check while the database hangs: it answers within its bound, and never piles up probes. */
@Tag("pure")
class BoundedCheckTest {
    @Test
    void aHungProbeIsReportedFailingWithinTheBoundAndOnlyOneRunsAtATime() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        BoundedCheck check = new BoundedCheck(
                () -> {
                    probes.incrementAndGet();
                    try {
                        release.await(); // a pool waiting for a connection to a database that is down
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new StatusServer.Check(true, "reachable");
                },
                Duration.ofMillis(200),
                "the journal's database");
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            StatusServer.Check c = check.get();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(c.ok()).isFalse();
            assertThat(c.detail()).contains("no answer within 200 ms: the journal's database is down or too slow");
            assertThat(ms).as("answered within the bound (plus scheduling)").isLessThan(1_000);
        }
        assertThat(probes.get()).as("one probe in flight, not one per request").isEqualTo(1);

        // The database answers again: the probe in flight completes, the next request sees it, and a new probe runs.
        release.countDown();
        Thread.sleep(50);
        assertThat(check.get().ok()).isTrue();
        assertThat(check.get().ok()).isTrue();
        assertThat(probes.get()).isBetween(2, 3);
    }
}
