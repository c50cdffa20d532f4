package io.unwind.app.node;

import io.unwind.domain.chain.Address;
import io.unwind.store.KeeperNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A cluster node's claim on its id and its key before it does anything: recovers the journal, starts Quartz or writes
 * its heartbeat. A node id whose registry row is still being refreshed belongs to a live process: a second process with
 * that id would take over its triggers in Quartz, overwrite its row and, when one of the pair dies, keep the dead one
 * looking alive, stranding its partitions. A key another live node signs with would race it for nonces. Both are
 * refused, naming the other node. A row that is only recent (the node just crashed, or was stopped before the clean
 * stop was recorded) is watched for two check-in intervals: if nobody refreshes it, its node is gone and the id is
 * free.
 */
final class ClusterIdentity {
    /** Refused: what is in the way, and what to do. */
    static final class Refused extends IllegalStateException {
        Refused(String message) {
            super(message);
        }
    }

    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private ClusterIdentity() {}

    /**
     * Returns when {@code nodeId} and {@code sender} are free on {@code chainId}; throws {@link Refused} when a live
     * node holds either.
     */
    static void claim(
            KeeperNodes nodes,
            String nodeId,
            long chainId,
            Address sender,
            Duration checkin,
            Duration deadAfter,
            java.time.Clock clock,
            Sleeper sleeper) {
        Instant now = clock.instant();
        List<KeeperNodes.Node> live = nodes.live(chainId, deadAfter);
        for (KeeperNodes.Node n : live) {
            if (!n.nodeId().equals(nodeId) && n.sender().equals(sender)) {
                throw new Refused("keeper " + sender + " is the key of node " + n.nodeId() + " too, seen "
                        + ago(n, now) + ": two nodes with one key race each other for its nonces. Give this node its"
                        + " own key (each node of a cluster signs with its own)");
            }
        }
        Optional<KeeperNodes.Node> same =
                live.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
        if (same.isEmpty()) return;
        // Someone had this id moments ago: alive, or a process that just died. A live node refreshes its row at every
        // check-in; wait two of them.
        Instant seen = same.get().lastSeenAt();
        try {
            sleeper.sleep(checkin.multipliedBy(2).plusMillis(250));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted while checking that node id " + nodeId + " is free");
        }
        Optional<KeeperNodes.Node> again = nodes.all(chainId).stream()
                .filter(n -> n.nodeId().equals(nodeId))
                .findFirst();
        if (again.isPresent() && again.get().lastSeenAt().isAfter(seen)) {
            throw new Refused("cluster.nodeId " + nodeId + " is held by a live node (keeper "
                    + again.get().sender()
                    + ", last seen " + ago(again.get(), clock.instant()) + "): every node of a cluster needs its own"
                    + " cluster.nodeId. Give this one another, or stop the other first");
        }
    }

    private static String ago(KeeperNodes.Node n, Instant now) {
        long ms = Math.max(0, Duration.between(n.lastSeenAt(), now).toMillis());
        return String.format("%.1f s ago", ms / 1000.0);
    }
}
