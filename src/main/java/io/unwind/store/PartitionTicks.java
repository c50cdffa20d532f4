package io.unwind.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Cluster mode: each partition's last tick and the node that ran it, in the shared database. Quartz hands every firing
 * of a partition to one node; the node records it here, so that every node sees how long each partition has gone
 * unticked and who ticked it last.
 */
public final class PartitionTicks {
    /** A partition's last tick. */
    public record Tick(int partition, String nodeId, Instant at) {}

    private final DataSource ds;
    private final Clock clock;

    public PartitionTicks(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** Records that {@code nodeId} ticks {@code partition} now (never moves a newer tick back). */
    public void ticked(long chainId, int partition, String nodeId) {
        Instant now = clock.instant();
        // Each statement on its own (auto-commit): a refused insert must not abort a transaction around it.
        Sql.read(ds, "tick of partition " + partition, c -> {
            int n;
            try (PreparedStatement ps = Sql.prepare(
                    c,
                    "UPDATE cluster_partition SET node_id = ?, ticked_at = ? WHERE chain_id = ? AND part = ?"
                            + " AND ticked_at <= ?",
                    nodeId,
                    now,
                    chainId,
                    partition,
                    now)) {
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = Sql.prepare(
                        c,
                        "INSERT INTO cluster_partition (chain_id, part, node_id, ticked_at) SELECT ?, ?, ?, ?"
                                + " WHERE NOT EXISTS (SELECT 1 FROM cluster_partition WHERE chain_id = ? AND part = ?)",
                        chainId,
                        partition,
                        nodeId,
                        now,
                        chainId,
                        partition)) {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // Another node wrote the partition's first row at the same moment: its tick stands.
                    if (!Sql.violates(e, "cluster_partition_pk")) throw e;
                }
            }
            return null;
        });
    }

    /** Every partition's last tick, by partition number. */
    public List<Tick> all(long chainId) {
        return Sql.read(ds, "partition ticks", c -> {
            List<Tick> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(
                            c,
                            "SELECT part, node_id, ticked_at FROM cluster_partition WHERE chain_id = ? ORDER BY part",
                            chainId);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new Tick(
                            rs.getInt("part"),
                            rs.getString("node_id"),
                            rs.getObject("ticked_at", java.time.OffsetDateTime.class)
                                    .toInstant()));
            }
            return out;
        });
    }
}
