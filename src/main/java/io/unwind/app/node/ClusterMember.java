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
import io.unwind.store.PartitionTicks;
import io.unwind.tx.OrphanSweeper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
    private final PartitionTicks partitionTicks;
    /**
     * Each partition's last ticker as this node's previous check-in saw it: to tell a takeover from the usual moves.
     */
    private final Map<Integer, String> holders = new HashMap<>();
    /** Partitions whose last tick moved here from another node, not yet known to be a usual move or a takeover. */
    private final Map<Integer, Moved> movedHere = new HashMap<>();

    private record Moved(String from, long at) {}

    /** When this node last armed each partition's trigger again (epoch millis). */
    private final long[] rearmedAt;
    /**
     * Until when the registry's silence is not taken as death (epoch millis): after the database was out of reach, the
     * other nodes were most likely cut off too and need a check-in of their own before it says anything about them.
     */
    private volatile long registryTrustedFrom;

    private volatile long startedAt;

    /** The latest firings of each partition on this node (epoch millis), a ring per partition; guarded by itself. */
    private final long[][] firings;

    private final int[] firingNext;
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
        this.rearmedAt = new long[config.partitions()];
        this.partitionTicks = new PartitionTicks(ds, clock);
        int kept = (int) (shareWindow() / config.tickInterval().toMillis()) + 4;
        this.firings = new long[config.partitions()][kept];
        this.firingNext = new int[config.partitions()];
        metrics.owned(this::ownedShare);
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
        startedAt = clock.millis();
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
        long now = clock.millis();
        tickedAt.set(partition, now);
        metrics.ticked(partition, now);
        synchronized (firings) {
            firings[partition][firingNext[partition]] = now;
            firingNext[partition] = (firingNext[partition] + 1) % firings[partition].length;
        }
        try {
            partitionTicks.ticked(chainId, partition, config.nodeId());
        } catch (RuntimeException e) {
            // The tick goes on: the engine says what it cannot do without the journal.
            if (!journalOutage.failed(e))
                log.warn("cannot record the tick of partition {}: {}", partition, e.getMessage());
        }
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

    private void checkIn() {
        try {
            boolean wasFailing = journalOutage.failing();
            heartbeat();
            long now = clock.millis();
            // After a silence of its own (the journal's database was down, or this node was paused for longer than two
            // check-ins), every other node may have been as silent: the registry says nothing of them until they have
            // had deadAfter to check in again.
            if (wasFailing
                    || (lastBeat != 0
                            && now - lastBeat > 2 * config.checkinInterval().toMillis()))
                registryTrustedFrom = now + config.deadAfter().toMillis();
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
            boolean trusted = now >= registryTrustedFrom;
            observeCluster(now, trusted);
            // A node silent in the registry for deadAfter is taken as stopped, and its unsettled transactions are
            // settled or given up: not while the others may still be reconnecting after an outage of the database.
            if (trusted)
                heads.get()
                        .ifPresent(
                                h -> sweeper.sweep(h).forEach(s -> log.info("settled for a stopped node: tx {}", s)));
        } catch (RuntimeException e) {
            metrics.liveUnknown();
            // Says once that the journal is failing (and so the node holds), then reminds; anything else is a warning.
            if (!journalOutage.failed(e))
                log.warn("cluster check-in of {} failed: {}", config.nodeId(), e.getMessage());
        }
    }

    private void heartbeat() {
        List<Integer> owned = owned();
        nodes.heartbeat(config.nodeId(), chainId, sender, heads.get().map(BlockRef::number), owned);
        registry = new Seen(clock.instant(), nodes.all(chainId));
    }

    /** The registry as this node read it at its last check-in (the status page shows it without a database trip). */
    private record Seen(java.time.Instant at, List<KeeperNodes.Node> nodes) {}

    private volatile Seen registry = new Seen(java.time.Instant.EPOCH, List.of());

    /**
     * Each hedge's last reading on this node, over its partitions' engines (a hedge is read by its vault's partition;
     * should two have read it, the later block is kept).
     */
    Map<Address, io.unwind.engine.Hedger.View> hedges() {
        Map<Address, io.unwind.engine.Hedger.View> all = new HashMap<>();
        for (Keeper k : keepers)
            k.hedges().forEach((hedge, v) -> all.merge(hedge, v, (a, b) -> b.block() > a.block() ? b : a));
        return all;
    }

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

    /**
     * Reads the partitions' last ticks and Quartz's live nodes: publishes them, says when this node took over the
     * partitions of a node Quartz declared dead, and arms again the trigger of a partition nobody ticked for too long.
     */
    private void observeCluster(long now, boolean trusted) {
        Set<String> live = scheduler.liveNodes();
        Map<String, KeeperNodes.Node> byId = new HashMap<>();
        for (KeeperNodes.Node n : registry.nodes()) byId.put(n.nodeId(), n);
        Map<String, List<Integer>> takenFrom = new TreeMap<>();
        Map<Integer, String> lastBy = new HashMap<>();
        for (PartitionTicks.Tick t : partitionTicks.all(chainId)) {
            if (t.partition() >= config.partitions()) continue;
            long at = t.at().toEpochMilli();
            metrics.ticked(t.partition(), at);
            lastBy.put(t.partition(), t.nodeId());
            boolean mine = t.nodeId().equals(config.nodeId());
            String before = holders.put(t.partition(), t.nodeId());
            if (!mine) movedHere.remove(t.partition());
            else if (before != null && !before.equals(config.nodeId()))
                movedHere.put(t.partition(), new Moved(before, at));
        }
        // A partition that came here from a node that checked in after that is a usual move; one whose node never
        // checked in again, and that Quartz no longer counts as live, was taken over from a dead node.
        for (var it = movedHere.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Moved m = e.getValue();
            KeeperNodes.Node from = byId.get(m.from());
            if (from != null && from.lastSeenAt().toEpochMilli() > m.at()) {
                it.remove();
            } else if (!live.contains(m.from())) {
                if (trusted)
                    takenFrom.computeIfAbsent(m.from(), x -> new ArrayList<>()).add(e.getKey());
                it.remove();
            }
        }
        takenFrom.forEach((node, parts) -> {
            KeeperNodes.Node n = byId.get(node);
            String list = parts.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
            if (n == null) {
                log.info("node {} left; {} {} taken over by {}", node, noun(parts), list, config.nodeId());
            } else {
                log.warn(
                        "node {} declared dead (silent for {} s); {} {} taken over by {}",
                        node,
                        String.format(
                                java.util.Locale.ROOT,
                                "%.1f",
                                (now - n.lastSeenAt().toEpochMilli()) / 1000.0),
                        noun(parts),
                        list,
                        config.nodeId());
            }
        });
        metrics.observed(trusted ? live.size() : Double.NaN);
        long stale = untickedAfter(config).toMillis();
        // Just after the start, or the database's return, partitions are still being handed out.
        if (!trusted || now - startedAt <= stale) return;
        for (int k = 0; k < config.partitions(); k++) {
            long at = metrics.lastTick(k);
            if (at == 0 || now - at <= stale || now - rearmedAt[k] <= stale) continue;
            rearmedAt[k] = now;
            log.warn(
                    "partition {} not ticked for {} s (last by {}): its trigger is armed again",
                    k,
                    (now - at) / 1000,
                    lastBy.getOrDefault(k, "?"));
            scheduler.rearm(k);
        }
    }

    private static String noun(List<Integer> partitions) {
        return partitions.size() == 1 ? "partition" : "partitions";
    }

    /** The window {@code unwind_cluster_partitions_owned} is measured over: ten tick intervals, at least a check-in. */
    private long shareWindow() {
        return Math.max(
                config.checkinInterval().toMillis(), config.tickInterval().toMillis() * 10);
    }

    /**
     * This node's share of the partitions: for each partition, the firings that ran here in the last
     * {@link #shareWindow()} over the most firings its trigger makes in that time (at most 1). Quartz fires each
     * partition once per tick interval on one node of the cluster, so the shares of all nodes add up to the number of
     * partitions being ticked (less up to one firing in eleven at the window's edges), however the firings are spread;
     * a partition nobody ticks adds nothing.
     */
    double ownedShare() {
        long window = shareWindow();
        // The most firings a window can hold (one at each edge): a partition's shares then add up to at most 1.
        double expected = (double) window / config.tickInterval().toMillis() + 1;
        long since = clock.millis() - window;
        double sum = 0;
        synchronized (firings) {
            for (long[] ring : firings) {
                int n = 0;
                for (long t : ring) if (t > since) n++;
                sum += Math.min(1.0, n / expected);
            }
        }
        return sum;
    }

    /**
     * A partition not ticked for longer is unticked (alert {@code UnwindClusterPartitionUnticked}): ten tick intervals,
     * and at least three check-ins, so that the takeover of a dead node's partitions (within one and a half check-in
     * intervals) is not one.
     */
    static java.time.Duration untickedAfter(UnwindConfig.Cluster c) {
        java.time.Duration ticks = c.tickInterval().multipliedBy(10);
        java.time.Duration checkins = c.checkinInterval().multipliedBy(3);
        return ticks.compareTo(checkins) > 0 ? ticks : checkins;
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
