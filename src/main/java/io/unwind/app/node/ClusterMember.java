package io.unwind.app.node;

import io.unwind.app.config.UnwindConfig;
import io.unwind.app.metrics.ClusterMetrics;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.engine.Keeper;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.store.JournalOutageLog;
import io.unwind.store.KeeperNodes;
import io.unwind.tx.OrphanSweeper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as one node of a cluster: Quartz's clustered job store hands it partitions of the vaults to tick
 * ({@link ClusterTickScheduler}), and every check-in interval it writes its heartbeat (with the partitions it ticked
 * lately) to the node registry and settles what stopped nodes left in flight ({@link OrphanSweeper}).
 */
final class ClusterMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

    private final JournalOutageLog journalOutage;
    private final UnwindConfig.Cluster config;
    private final long chainId;
    private final Address sender;
    private final KeeperNodes nodes;
    private final OrphanSweeper sweeper;
    private final Supplier<Optional<BlockRef>> heads;
    private final Consumer<TickResult> afterTick;
    private final ClusterMetrics metrics;
    private final Clock clock;
    private final Keeper[] keepers;
    private final BlockRef[] lastTicked;
    /**
     * Whether the partition's last tick left something open at its head: an error, or a vault waiting on a transaction.
     */
    private final boolean[] lastLeftOpen;
    /** When this node last ticked each partition (epoch millis; 0: never). */
    private final AtomicLongArray tickedAt;

    private final ClusterTickScheduler scheduler;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unwind-cluster-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** @param keeperFor the engine for one partition: the node's engine over that partition's vaults only */
    ClusterMember(
            UnwindConfig.Cluster config,
            long chainId,
            Address sender,
            DataSource ds,
            KeeperNodes nodes,
            OrphanSweeper sweeper,
            IntFunction<Keeper> keeperFor,
            Supplier<Optional<BlockRef>> heads,
            Consumer<TickResult> afterTick,
            ClusterMetrics metrics,
            JournalOutageLog journalOutage,
            Clock clock) {
        this.journalOutage = journalOutage;
        this.config = config;
        this.chainId = chainId;
        this.sender = sender;
        this.nodes = nodes;
        this.sweeper = sweeper;
        this.heads = heads;
        this.afterTick = afterTick;
        this.metrics = metrics;
        this.clock = clock;
        this.keepers = new Keeper[config.partitions()];
        for (int k = 0; k < keepers.length; k++) keepers[k] = keeperFor.apply(k);
        this.lastTicked = new BlockRef[config.partitions()];
        this.lastLeftOpen = new boolean[config.partitions()];
        this.tickedAt = new AtomicLongArray(config.partitions());
        this.scheduler = new ClusterTickScheduler(
                config.nodeId(),
                chainId,
                ds,
                config.partitions(),
                config.tickInterval(),
                config.checkinInterval(),
                () -> nodes.live(chainId, config.deadAfter()).stream()
                        .anyMatch(n -> !n.nodeId().equals(config.nodeId())),
                this::tick);
    }

    /**
     * Before the node does anything: its id and key must not be a live node's ({@link ClusterIdentity}); throws
     * {@link ClusterIdentity.Refused} naming the other node.
     */
    void claimIdentity() {
        ClusterIdentity.claim(
                nodes,
                config.nodeId(),
                chainId,
                sender,
                config.checkinInterval(),
                config.deadAfter(),
                clock,
                d -> Thread.sleep(d.toMillis()));
    }

    void start() {
        started = true;
        heartbeat();
        lastBeat = clock.millis();
        scheduler.start();
        long every = config.checkinInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::checkIn, every, every, TimeUnit.MILLISECONDS);
        log.info(
                "cluster node {} (keeper {}) joined: {} partitions, check-in every {} ms",
                config.nodeId(),
                sender,
                config.partitions(),
                every);
    }

    /**
     * One partition's tick, on whichever node Quartz handed it to; never on two nodes at once. A head this node already
     * ticked the partition on is skipped unless that tick left something open: an error, or a vault waiting on a
     * transaction in flight, which may be settled before the next block (by this node, or for a stopped node by
     * {@link OrphanSweeper}) and must then be looked at again without waiting for one.
     */
    private void tick(int partition) {
        Optional<BlockRef> head = heads.get();
        if (head.isEmpty()) return;
        BlockRef h = head.get();
        tickedAt.set(partition, clock.millis());
        synchronized (lastTicked) {
            if (h.equals(lastTicked[partition]) && !lastLeftOpen[partition]) return;
        }
        TickResult r;
        try {
            r = keepers[partition].tick(h);
        } catch (RuntimeException e) {
            synchronized (lastTicked) {
                lastTicked[partition] = h;
                lastLeftOpen[partition] = true;
            }
            if (journalOutage.failed(e)) return; // said once for every partition; the next firing tries again
            throw e;
        }
        synchronized (lastTicked) {
            lastTicked[partition] = h;
            lastLeftOpen[partition] = !r.of(VaultOutcome.Kind.ERROR).isEmpty()
                    || !r.of(VaultOutcome.Kind.IN_FLIGHT).isEmpty();
        }
        afterTick.accept(r);
    }

    /**
     * The partitions this node ticked within the last check-in interval (or the last three tick intervals, if longer).
     */
    List<Integer> owned() {
        long window = Math.max(
                config.checkinInterval().toMillis(), config.tickInterval().toMillis() * 3);
        long now = clock.millis();
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < tickedAt.length(); k++) {
            long t = tickedAt.get(k);
            if (t != 0 && now - t <= window) out.add(k);
        }
        return out;
    }

    /**
     * How long a silent node's registry row is kept: a day, or a hundred {@code deadAfter} if that is longer. Long
     * enough that a node down for maintenance is still listed as stopped; short enough that one removed long ago drops
     * out of the list.
     */
    static java.time.Duration forgetAfter(UnwindConfig.Cluster config) {
        java.time.Duration day = java.time.Duration.ofDays(1);
        java.time.Duration many = config.deadAfter().multipliedBy(100);
        return many.compareTo(day) > 0 ? many : day;
    }

    /** When this node's last heartbeat was written (epoch millis; 0: none yet). */
    private long lastBeat;
    /**
     * When this node wrote a heartbeat again after being silent itself for longer than two check-ins (the journal's
     * database was down, or this node was paused); 0: never.
     */
    private long resumedAt;

    private void checkIn() {
        try {
            boolean wasFailing = journalOutage.failing();
            heartbeat();
            long now = clock.millis();
            if (wasFailing
                    || (lastBeat != 0
                            && now - lastBeat > 2 * config.checkinInterval().toMillis())) resumedAt = now;
            lastBeat = now;
            // The heartbeat is written to the database, so it answers again. (A partition's tick is not a sign of it:
            // one without vaults may never touch the journal.)
            journalOutage.tickWorked();
            java.time.Duration keep = forgetAfter(config);
            List<String> forgotten = nodes.forgetSilent(keep);
            if (!forgotten.isEmpty())
                log.info(
                        "cluster: removed node(s) {} from the registry: silent for over {} h",
                        forgotten,
                        keep.toHours());
            // After a silence of its own, every other node may have been as silent (the database was down for all):
            // their transactions are theirs until they have had deadAfter to check in again.
            if (now - resumedAt < config.deadAfter().toMillis()) return;
            heads.get().ifPresent(h -> sweeper.sweep(h).forEach(s -> log.info("settled for a stopped node: tx {}", s)));
        } catch (RuntimeException e) {
            // The journal's database failing: said once for the outage (and reminded), with the partitions' ticks.
            if (journalOutage.failed(e)) {
                log.debug("cluster check-in of {} failed on the journal: {}", config.nodeId(), e.getMessage());
            } else {
                log.warn("cluster check-in of {} failed: {}", config.nodeId(), e.getMessage());
            }
        }
    }

    private void heartbeat() {
        List<Integer> owned = owned();
        nodes.heartbeat(config.nodeId(), chainId, sender, heads.get().map(BlockRef::number), owned);
        List<KeeperNodes.Node> all = nodes.all(chainId);
        java.time.Instant now = clock.instant();
        registry = new Seen(now, all);
        metrics.observed(
                (int) all.stream()
                        .filter(n -> n.aliveAt(now, config.deadAfter()))
                        .count(),
                owned.size());
    }

    /** The registry as this node read it at its last check-in (the status page shows it without a database trip). */
    private record Seen(java.time.Instant at, List<KeeperNodes.Node> nodes) {}

    private volatile Seen registry = new Seen(java.time.Instant.EPOCH, List.of());

    /** The status page's cluster section: this node, what it ticked lately, and the nodes at its last check-in. */
    io.unwind.app.http.StatusJson.PageCluster view() {
        Seen seen = registry;
        return new io.unwind.app.http.StatusJson.PageCluster(
                config.nodeId(),
                config.partitions(),
                owned(),
                seen.at().getEpochSecond(),
                seen.nodes().stream()
                        .map(n -> new io.unwind.app.http.StatusJson.PageNode(
                                n.nodeId(),
                                n.sender().hex(),
                                n.lastSeenAt().getEpochSecond(),
                                n.aliveAt(seen.at(), config.deadAfter()),
                                n.lastBlock().orElse(null),
                                n.partitions()))
                        .toList());
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        scheduler.close();
        if (started) {
            try {
                nodes.leave(config.nodeId(), chainId);
                log.info("cluster node {} left: its partitions go to the others now", config.nodeId());
            } catch (RuntimeException e) {
                log.info(
                        "cluster node {} stopped without recording it ({}): the others count it live for {} more",
                        config.nodeId(),
                        e.getMessage(),
                        config.deadAfter());
            }
        }
    }

    /** Whether this node started (claimed its id): only then is the registry's row its own to remove. */
    private volatile boolean started;
}
