package io.unwind.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cluster mode's schema: the node registry on both databases, Quartz's tables on PostgreSQL. */
@Tag("postgres")
class ClusterSchemaTest {
    private static final Address A = Address.of("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
    private static final Address B = Address.of("0x976ea74026e726554db657fa54763abd0c3a0aa9");

    @Test
    void postgresGetsQuartzTablesAndTheNodeRegistry() throws Exception {
        try (TestPostgres pg = TestPostgres.create();
                Database db = Database.open(pg.url(), pg.user(), pg.password())) {
            try (Connection c = db.dataSource().getConnection();
                    ResultSet rs = c.getMetaData().getTables(null, null, "qrtz_%", new String[] {"TABLE"})) {
                int n = 0;
                while (rs.next()) n++;
                assertThat(n).as("Quartz tables").isEqualTo(11);
            }
            heartbeatsTellWhoIsAlive(db);
        }
    }

    @Test
    void h2GetsTheNodeRegistryWithoutQuartz() throws Exception {
        try (Database db = Database.open(Database.inMemoryUrl("nodes" + System.nanoTime()), "", "")) {
            try (Connection c = db.dataSource().getConnection();
                    ResultSet rs = c.getMetaData().getTables(null, null, "qrtz_%", new String[] {"TABLE"})) {
                assertThat(rs.next()).isFalse();
            }
            heartbeatsTellWhoIsAlive(db);
        }
    }

    private static void heartbeatsTellWhoIsAlive(Database db) {
        Instant t0 = Instant.parse("2026-11-27T00:00:00Z");
        KeeperNodes early = new KeeperNodes(db.dataSource(), Clock.fixed(t0, ZoneOffset.UTC));
        KeeperNodes later = new KeeperNodes(db.dataSource(), Clock.fixed(t0.plusSeconds(30), ZoneOffset.UTC));
        early.heartbeat("node-a", 31337, A, Optional.of(10L));
        early.heartbeat("node-b", 31337, B, Optional.empty());
        later.heartbeat("node-b", 31337, B, Optional.of(40L));
        assertThat(later.all(31337)).extracting(KeeperNodes.Node::nodeId).containsExactly("node-a", "node-b");
        assertThat(later.senderAlive(31337, A, Duration.ofSeconds(10))).isFalse();
        assertThat(later.senderAlive(31337, B, Duration.ofSeconds(10))).isTrue();
        assertThat(later.all(31337).get(1).lastBlock()).contains(40L);
        assertThat(later.all(1)).isEmpty();
        assertThat(later.live(31337, Duration.ofSeconds(10)))
                .extracting(KeeperNodes.Node::nodeId)
                .containsExactly("node-b");

        // A heartbeat carries the partitions the node ticked since the last one; the next replaces them.
        later.heartbeat("node-b", 31337, B, Optional.of(41L), java.util.List.of(7, 2, 11));
        assertThat(later.all(31337).get(1).partitions()).containsExactly(2, 7, 11);
        later.heartbeat("node-b", 31337, B, Optional.of(42L), java.util.List.of());
        assertThat(later.all(31337).get(1).partitions()).isEmpty();
        assertThat(later.all(31337).get(0).partitions()).isEmpty();

        // A node silent for longer than the registry keeps one is forgotten; one seen within it stays.
        KeeperNodes nextDay =
                new KeeperNodes(db.dataSource(), Clock.fixed(t0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        nextDay.heartbeat("node-c", 1, B, Optional.of(1L));
        assertThat(nextDay.forgetSilent(Duration.ofDays(1).minusSeconds(20))).containsExactly("node-a");
        assertThat(nextDay.all(31337)).extracting(KeeperNodes.Node::nodeId).containsExactly("node-b");
        assertThat(nextDay.all(1)).extracting(KeeperNodes.Node::nodeId).containsExactly("node-c");
        assertThat(nextDay.forgetSilent(Duration.ofDays(1).minusSeconds(20))).isEmpty();
    }
}
