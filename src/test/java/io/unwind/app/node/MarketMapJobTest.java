package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.engine.MarketMapView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The map's job: off the caller's thread, heads during a refresh folded into one, an outage said once. */
@Tag("pure")
class MarketMapJobTest {
    private ListAppender<ILoggingEvent> logs;
    private final Logger logger = (Logger) LoggerFactory.getLogger(MarketMapJob.class);

    @BeforeEach
    void capture() {
        logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
    }

    static BlockRef block(long n) {
        String h = String.format("0x%064x", n);
        return new BlockRef(n, TxHash.of(h), TxHash.of(String.format("0x%064x", n - 1)), Instant.EPOCH.plusSeconds(n));
    }

    private List<String> lines(Level level) {
        return logs.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void anOutageIsSaidOnceAndTheRecoveryOnceAndTheCallerNeverWaits() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> refreshed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch[] step = {new CountDownLatch(1)};
        try (MarketMapJob job = new MarketMapJob(
                h -> {
                    calls.incrementAndGet();
                    try {
                        if (h.number() <= 3) throw new IllegalStateException("no endpoint answered eth_getLogs");
                        return List.<MarketMapView>of();
                    } finally {
                        step[0].countDown();
                    }
                },
                views -> refreshed.add((long) calls.get()))) {
            for (long n = 1; n <= 4; n++) {
                step[0] = new CountDownLatch(1);
                long t0 = System.nanoTime();
                job.onHead(block(n));
                assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
                assertThat(step[0].await(5, TimeUnit.SECONDS)).isTrue();
            }
            // the listener runs after the refresh: give it its moment
            for (int i = 0; i < 50 && refreshed.isEmpty(); i++) Thread.sleep(20);
        }
        assertThat(calls.get()).isEqualTo(4);
        assertThat(lines(Level.WARN))
                .singleElement()
                .asString()
                .contains("liquidation maps not refreshed at block 1", "no endpoint answered eth_getLogs");
        assertThat(lines(Level.INFO)).containsExactly("liquidation maps refreshed again at block 4");
        assertThat(refreshed).containsExactly(4L);
    }

    @Test
    void headsArrivingDuringARefreshAreFoldedIntoOneAtTheNewest() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        try (MarketMapJob job = new MarketMapJob(
                h -> {
                    seen.add(h.number());
                    if (h.number() == 1) {
                        inFirst.countDown();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return List.of();
                },
                views -> {})) {
            job.onHead(block(1));
            assertThat(inFirst.await(5, TimeUnit.SECONDS)).isTrue();
            for (long n = 2; n <= 6; n++) job.onHead(block(n));
            release.countDown();
            for (int i = 0; i < 100 && seen.size() < 2; i++) Thread.sleep(20);
            Thread.sleep(100);
        }
        assertThat(seen).containsExactly(1L, 6L);
    }
}
