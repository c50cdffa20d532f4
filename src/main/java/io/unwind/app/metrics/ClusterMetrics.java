package io.unwind.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Cluster mode: how many nodes are alive, and how many partitions of the vaults this node ticked lately. */
public final class ClusterMetrics {
    public static final String NODES_LIVE = "unwind_cluster_nodes_live";
    public static final String PARTITIONS_OWNED = "unwind_cluster_partitions_owned";
    public static final String PARTITIONS = "unwind_cluster_partitions";

    private final AtomicLong live = new AtomicLong();
    private final AtomicLong owned = new AtomicLong();

    public ClusterMetrics(MeterRegistry registry, int partitions) {
        Gauge.builder(NODES_LIVE, live, AtomicLong::get)
                .description("Keeper nodes of this cluster that checked in lately")
                .register(registry);
        Gauge.builder(PARTITIONS_OWNED, owned, AtomicLong::get)
                .description("Partitions of the vaults this node ticked lately")
                .register(registry);
        Gauge.builder(PARTITIONS, () -> partitions)
                .description("Partitions the vaults are split into")
                .register(registry);
    }

    public void observed(int liveNodes, int ownedPartitions) {
        live.set(liveNodes);
        owned.set(ownedPartitions);
    }
}
