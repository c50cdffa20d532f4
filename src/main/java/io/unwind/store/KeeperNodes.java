package io.unwind.store;

import io.unwind.domain.chain.Address;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The keeper nodes sharing one journal, with a heartbeat: who is alive, and which key each one signs with. */
public final class KeeperNodes {

    /**
     * One node: its id, the key it signs with, when it started and when it was last seen, and the partitions it ticked
     * lately (cluster mode).
     */
    public record Node(
            String nodeId,
            long chainId,
            Address sender,
            Instant startedAt,
            Instant lastSeenAt,
            Optional<Long> lastBlock,
            List<Integer> partitions) {
        public boolean aliveAt(Instant now, Duration deadAfter) {
            return !lastSeenAt.plus(deadAfter).isBefore(now);
        }
    }

    private final DataSource ds;
    private final Clock clock;

    public KeeperNodes(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** Records that {@code nodeId} is alive (at start, and then on every tick). */
    public void heartbeat(String nodeId, long chainId, Address sender, Optional<Long> block) {
        heartbeat(nodeId, chainId, sender, block, List.of());
    }

    /** The same, with the partitions the node ticked since its last heartbeat. */
    public void heartbeat(String nodeId, long chainId, Address sender, Optional<Long> block, List<Integer> partitions) {
        Instant now = clock.instant();
        String parts =
                partitions.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        Sql.inTransaction(ds, "heartbeat of " + nodeId, c -> {
            int n;
            try (PreparedStatement ps = Sql.prepare(
                    c,
                    "UPDATE keeper_node SET chain_id = ?, sender = ?, last_seen_at = ?, last_block = ?, partitions = ? WHERE node_id = ?",
                    chainId,
                    sender.hex(),
                    now,
                    block.orElse(null),
                    parts,
                    nodeId)) {
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = Sql.prepare(
                        c,
                        "INSERT INTO keeper_node (node_id, chain_id, sender, started_at, last_seen_at, "
                                + "last_block, partitions) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        nodeId,
                        chainId,
                        sender.hex(),
                        now,
                        now,
                        block.orElse(null),
                        parts)) {
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * A node's clean stop, recorded at once: its row goes, so that the others stop counting it as live (and settle what
     * it left in flight) now rather than after {@code deadAfter}, and a node restarted with the same id finds it free.
     */
    public void leave(String nodeId, long chainId) {
        Sql.inTransaction(ds, "leave of " + nodeId, c -> {
            try (PreparedStatement ps =
                    Sql.prepare(c, "DELETE FROM keeper_node WHERE node_id = ? AND chain_id = ?", nodeId, chainId)) {
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Deletes the rows of the nodes, on any chain, not seen for longer than {@code silentFor}: nodes removed or crashed
     * long ago that nobody restarted, which would otherwise stay in the registry (and in {@code unwind status}) for
     * ever. Returns their ids. Their transactions are not touched: a sender without a live node is a stopped one
     * whether its row is there or not.
     */
    public List<String> forgetSilent(Duration silentFor) {
        Instant cutoff = clock.instant().minus(silentFor);
        return Sql.inTransaction(ds, "forget silent nodes", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(
                            c, "SELECT node_id FROM keeper_node WHERE last_seen_at < ? ORDER BY node_id", cutoff);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement ps = Sql.prepare(c, "DELETE FROM keeper_node WHERE last_seen_at < ?", cutoff)) {
                    ps.executeUpdate();
                }
            }
            return ids;
        });
    }

    public List<Node> all(long chainId) {
        return Sql.inTransaction(ds, "list nodes", c -> {
            List<Node> out = new ArrayList<>();
            try (PreparedStatement ps =
                            Sql.prepare(c, "SELECT * FROM keeper_node WHERE chain_id = ? ORDER BY node_id", chainId);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long b = rs.getLong("last_block");
                    Optional<Long> block = rs.wasNull() ? Optional.empty() : Optional.of(b);
                    String parts = rs.getString("partitions");
                    List<Integer> partitions = parts == null || parts.isBlank()
                            ? List.of()
                            : java.util.Arrays.stream(parts.split(","))
                                    .map(Integer::valueOf)
                                    .toList();
                    out.add(new Node(
                            rs.getString("node_id"),
                            rs.getLong("chain_id"),
                            Address.of(rs.getString("sender")),
                            rs.getObject("started_at", java.time.OffsetDateTime.class)
                                    .toInstant(),
                            rs.getObject("last_seen_at", java.time.OffsetDateTime.class)
                                    .toInstant(),
                            block,
                            partitions));
                }
            }
            return out;
        });
    }

    /** The nodes seen within {@code deadAfter}. */
    public List<Node> live(long chainId, Duration deadAfter) {
        Instant now = clock.instant();
        return all(chainId).stream().filter(n -> n.aliveAt(now, deadAfter)).toList();
    }

    /** Whether any node signing with {@code sender} was seen within {@code deadAfter}. */
    public boolean senderAlive(long chainId, Address sender, Duration deadAfter) {
        Instant now = clock.instant();
        return all(chainId).stream().anyMatch(n -> n.sender().equals(sender) && n.aliveAt(now, deadAfter));
    }
}
