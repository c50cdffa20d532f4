package io.unwind.chain;

import io.reactivex.disposables.Disposable;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.websocket.WebSocketService;

/**
 * Follows the chain head: a WebSocket {@code newHeads} subscription when an endpoint offers one, and HTTP polling
 * always (the fallback when the subscription drops, and a check on it). Only a head higher than the last one seen is
 * passed on; a head at the same height with another hash is a re-org and is passed on too; anything lower (a lagging or
 * lying node, a block number going backwards) is ignored and counted.
 */
public final class HeadTracker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadTracker.class);

    private final ChainClient chain;
    private final Optional<URI> ws;
    private final Duration pollInterval;
    private final Consumer<BlockRef> onHead;
    private final Clock clock;
    private final AtomicReference<BlockRef> last = new AtomicReference<>();
    private final AtomicReference<Instant> lastAt = new AtomicReference<>(Instant.EPOCH);
    private final AtomicLong ignored = new AtomicLong();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "head-poller");
        t.setDaemon(true);
        return t;
    });
    private volatile WebSocketService wsService;
    private volatile Disposable subscription;
    private volatile boolean subscribed;
    /** When the next subscription may be tried (clock millis): after a failed one, later each time, up to a limit. */
    private volatile long nextSubscribeAt;

    private volatile long subscribeBackoffMillis;
    static final long MAX_SUBSCRIBE_BACKOFF_MILLIS = 10_000;

    public HeadTracker(
            ChainClient chain, Optional<URI> ws, Duration pollInterval, Consumer<BlockRef> onHead, Clock clock) {
        this.chain = chain;
        this.ws = ws;
        this.pollInterval = pollInterval;
        this.onHead = onHead;
        this.clock = clock;
    }

    public void start() {
        ws.ifPresent(this::subscribe);
        poller.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            BlockRef head = chain.latestBlock();
            // Only once the node answers over HTTP: while it is down, every attempt would fail, once per poll.
            if (ws.isPresent() && !subscribed && clock.millis() >= nextSubscribeAt) subscribe(ws.get());
            offer(head);
        } catch (RuntimeException e) {
            log.debug("polling the head failed: {}", e.getMessage());
        }
    }

    private synchronized void subscribe(URI url) {
        if (subscribed) return;
        WebSocketService old = wsService;
        if (old != null) old.close();
        WebSocketService service = new WebSocketService(url.toString(), false);
        // Marked as subscribed before connecting: a close or an error from this connection, even one that comes while
        // it is still being set up, clears the mark and the next poll subscribes again. Marked after, it would
        // overwrite such a close and leave the keeper on a dead socket, with no subscription ever again.
        wsService = service;
        subscribed = true;
        try {
            service.connect(s -> {}, e -> lost(service), () -> lost(service));
            Web3j w = Web3j.build(service);
            subscription = w.newHeadsNotifications()
                    .subscribe(
                            n -> {
                                var h = n.getParams().getResult();
                                BlockRef head = new BlockRef(
                                        Long.decode(h.getNumber()),
                                        TxHash.of(h.getHash()),
                                        TxHash.of(h.getParentHash()),
                                        Instant.ofEpochSecond(Long.decode(h.getTimestamp())));
                                subscribeBackoffMillis = 0; // the subscription works: a later drop is retried at once
                                if (servedByReadNode(head)) offer(head);
                            },
                            e -> {
                                lost(service);
                                log.debug("newHeads subscription ended: {}", e.getMessage());
                            });
        } catch (Exception e) {
            lost(service);
            log.debug("cannot subscribe to newHeads at {}: {}", url, e.getMessage());
        }
    }

    /**
     * The connection {@code service} ended; if it is the current one, a later poll subscribes again: the first time at
     * once, then after twice the previous wait each time it fails again before a head came through it (a node that
     * refuses WebSockets), up to {@value #MAX_SUBSCRIBE_BACKOFF_MILLIS} ms. Polling brings the heads meanwhile.
     */
    private void lost(WebSocketService service) {
        if (service != wsService || !subscribed) return;
        subscribed = false;
        long wait = subscribeBackoffMillis;
        nextSubscribeAt = clock.millis() + wait;
        subscribeBackoffMillis = Math.min(MAX_SUBSCRIBE_BACKOFF_MILLIS, Math.max(pollInterval.toMillis(), 2 * wait));
    }

    /**
     * Whether the node the keeper reads from has this block. The subscription may come from another backend than the
     * reads (a load-balanced provider), or simply be faster: a head the read node does not have yet is left for polling
     * to pick up once it does. Taken now, every read pinned to it would fail, and what the read node says about
     * "latest" (nonces, receipts) would come from an older block, where a mined transaction looks re-orged out.
     */
    private boolean servedByReadNode(BlockRef head) {
        try {
            return chain.blockByNumber(head.number())
                    .map(b -> b.hash().equals(head.hash()))
                    .orElse(false);
        } catch (RuntimeException e) {
            log.debug("cannot check head {} on the read node: {}", head.number(), e.getMessage());
            return false;
        }
    }

    /** Accepts a head if it moves the chain forward (or re-orgs the tip); returns whether it was accepted. */
    public boolean offer(BlockRef head) {
        while (true) {
            BlockRef prev = last.get();
            if (prev != null) {
                boolean higher = head.number() > prev.number();
                boolean reorgAtTip =
                        head.number() == prev.number() && !head.hash().equals(prev.hash());
                if (!higher && !reorgAtTip) {
                    if (head.number() < prev.number()) ignored.incrementAndGet();
                    return false;
                }
            }
            if (last.compareAndSet(prev, head)) break;
        }
        lastAt.set(clock.instant());
        onHead.accept(head);
        return true;
    }

    public Optional<BlockRef> lastHead() {
        return Optional.ofNullable(last.get());
    }

    /** When the last accepted head arrived (for readiness: a stale head means the keeper is blind). */
    public Instant lastHeadAt() {
        return lastAt.get();
    }

    /** Heads refused because they were older than one already seen. */
    public long ignoredHeads() {
        return ignored.get();
    }

    public boolean subscribed() {
        return subscribed;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        Disposable s = subscription;
        if (s != null) s.dispose();
        WebSocketService w = wsService;
        if (w != null) w.close();
    }
}
