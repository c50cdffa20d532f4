package io.unwind.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cluster mode: how many nodes are alive, which partitions this node ticked last, and how long ago each partition was
 * ticked by any node. The per-partition ages and the unticked count are the cluster's, the same on every node (read
 * from the shared database at each check-in); the owned count is this node's share of the partitions' firings, so that
 * its sum over the nodes is the number of partitions being ticked.
 */
public final class ClusterMetrics {
    public static final String NODES_LIVE = "unwind_cluster_nodes_live";
    public static final String PARTITIONS_OWNED = "unwind_cluster_partitions_owned";
    public static final String PARTITIONS = "unwind_cluster_partitions";
    public static final String PARTITION_LAST_TICK_AGE = "unwind_cluster_partition_last_tick_age_seconds";
    public static final String PARTITIONS_UNTICKED = "unwind_cluster_partitions_unticked";

    private final AtomicReference<Double> live = new AtomicReference<>(Double.NaN);
    private volatile java.util.function.DoubleSupplier owned = () -> 0;
    /** Each partition's last tick by any node, epoch millis (0: none known). */
    private final AtomicLongArray lastTick;

    private final Clock clock;
    private final Duration untickedAfter;

    /** @param untickedAfter a partition not ticked for longer counts as unticked */
    public ClusterMetrics(MeterRegistry registry, int partitions, Clock clock, Duration untickedAfter) {
        this.clock = clock;
        this.untickedAfter = untickedAfter;
        this.lastTick = new AtomicLongArray(partitions);
        Gauge.builder(NODES_LIVE, live, AtomicReference::get)
                .description("Keeper nodes of this cluster that Quartz counts as live (checked in within one check-in"
                        + " interval); NaN while this node cannot read the database, or just after it could again")
                .register(registry);
        Gauge.builder(PARTITIONS_OWNED, this, m -> m.owned.getAsDouble())
                .description(
                        "Partitions' worth of ticks this node ran lately: for each partition, the share of its"
                                + " firings that ran here; the sum over the nodes is the number of partitions ticked on schedule")
                .register(registry);
        Gauge.builder(PARTITIONS, () -> partitions)
                .description("Partitions the vaults are split into")
                .register(registry);
        for (int k = 0; k < partitions; k++) {
            int p = k;
            Gauge.builder(PARTITION_LAST_TICK_AGE, this, m -> m.age(p))
                    .tag("partition", Integer.toString(k))
                    .description("Seconds since any node of the cluster last ticked the partition (NaN: never)")
                    .baseUnit("seconds")
                    .register(registry);
        }
        Gauge.builder(PARTITIONS_UNTICKED, this, ClusterMetrics::unticked)
                .description("Partitions no node ticked for over " + untickedAfter.toMillis()
                        + " ms: their vaults are not watched")
                .register(registry);
    }

    private double age(int partition) {
        long at = lastTick.get(partition);
        return at == 0 ? Double.NaN : Math.max(0, clock.millis() - at) / 1000.0;
    }

    private double unticked() {
        long now = clock.millis();
        int n = 0;
        for (int k = 0; k < lastTick.length(); k++) {
            long at = lastTick.get(k);
            if (at != 0 && now - at > untickedAfter.toMillis()) n++;
        }
        return n;
    }

    /** A tick of {@code partition} at {@code atMillis}, by this node or (seen in the database) another. */
    public void ticked(int partition, long atMillis) {
        if (partition < 0 || partition >= lastTick.length()) return;
        lastTick.accumulateAndGet(partition, atMillis, Math::max);
    }

    /** When any node last ticked {@code partition}, epoch millis (0: not known). */
    public long lastTick(int partition) {
        return lastTick.get(partition);
    }

    /** Binds {@link #PARTITIONS_OWNED} to this node's share of the partitions' firings. */
    public void owned(java.util.function.DoubleSupplier share) {
        this.owned = share;
    }

    /** @param liveNodes NaN when not known */
    public void observed(double liveNodes) {
        live.set(liveNodes);
    }

    /** The database cannot be read: who is alive is not known. */
    public void liveUnknown() {
        live.set(Double.NaN);
    }
}
