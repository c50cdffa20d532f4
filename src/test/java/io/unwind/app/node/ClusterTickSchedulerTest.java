package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.store.Database;
import io.unwind.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The partition jobs in Quartz's clustered store on PostgreSQL: every partition ticks, and every node splits alike. */
@Tag("postgres")
class ClusterTickSchedulerTest {

    @Test
    void everyPartitionTicksAndADifferentSplitIsRefusedWhileOthersRun() throws Exception {
        try (TestPostgres pg = TestPostgres.create();
                Database db = Database.open(pg.url(), pg.user(), pg.password())) {
            Set<Integer> ticked = ConcurrentHashMap.newKeySet();
            try (ClusterTickScheduler s = new ClusterTickScheduler(
                    "node-a",
                    31337,
                    db.dataSource(),
                    4,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(2),
                    () -> false,
                    ticked::add)) {
                s.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (ticked.size() < 4 && System.nanoTime() < deadline) Thread.sleep(50);
            }
            assertThat(ticked).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(partitionJobs(db)).isEqualTo(4);

            // Another node runs with 4: a node configured with 6 must not join.
            assertThatThrownBy(() -> new ClusterTickScheduler(
                            "node-b",
                            31337,
                            db.dataSource(),
                            6,
                            Duration.ofMillis(200),
                            Duration.ofSeconds(2),
                            () -> true,
                            p -> {}))
                    .isInstanceOf(io.unwind.app.config.ConfigException.class)
                    .hasMessageContaining("cluster.partitions: 6 on this node")
                    .hasMessageContaining("into 4");
            assertThat(partitionJobs(db)).isEqualTo(4);

            // With every other node stopped, the split may change, both ways.
            new ClusterTickScheduler(
                            "node-b",
                            31337,
                            db.dataSource(),
                            6,
                            Duration.ofMillis(200),
                            Duration.ofSeconds(2),
                            () -> false,
                            p -> {})
                    .close();
            assertThat(partitionJobs(db)).isEqualTo(6);
            new ClusterTickScheduler(
                            "node-b",
                            31337,
                            db.dataSource(),
                            3,
                            Duration.ofMillis(200),
                            Duration.ofSeconds(2),
                            () -> false,
                            p -> {})
                    .close();
            assertThat(partitionJobs(db)).isEqualTo(3);
        }
    }

    /**
     * Quartz sets a trigger to ERROR when it cannot load its job (as when the database drops mid-call): no node
     * acquires it again, and its partition is watched by nobody. Armed again, it fires again.
     */
    @Test
    void aTriggerLeftInErrorIsNeverFiredUntilItIsArmedAgain() throws Exception {
        try (TestPostgres pg = TestPostgres.create();
                Database db = Database.open(pg.url(), pg.user(), pg.password())) {
            java.util.Map<Integer, Long> lastTick = new ConcurrentHashMap<>();
            try (ClusterTickScheduler s = new ClusterTickScheduler(
                    "node-a",
                    31337,
                    db.dataSource(),
                    3,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(2),
                    () -> false,
                    p -> lastTick.put(p, System.nanoTime()))) {
                s.start();
                awaitTicks(lastTick, 3);
                assertThat(s.liveNodes()).containsExactly("node-a");
                try (Connection c = db.dataSource().getConnection()) {
                    c.createStatement()
                            .executeUpdate(
                                    "UPDATE qrtz_triggers SET trigger_state = 'ERROR' WHERE trigger_name = 'tick-2'");
                }
                Thread.sleep(300); // a firing acquired before the update may still run
                long stranded = System.nanoTime();
                Thread.sleep(1500);
                assertThat(lastTick.get(2))
                        .as("partition 2 unticked while in ERROR")
                        .isLessThan(stranded);
                assertThat(lastTick.get(0)).as("the others tick on").isGreaterThan(stranded);

                s.rearm(2);
                long armed = System.nanoTime();
                long deadline = armed + Duration.ofSeconds(10).toNanos();
                while (lastTick.get(2) < armed && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(lastTick.get(2))
                        .as("partition 2 ticks again once armed")
                        .isGreaterThan(armed);
            }
        }
    }

    private static void awaitTicks(java.util.Map<Integer, Long> ticked, int partitions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ticked.size() < partitions && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(ticked).hasSize(partitions);
    }

    @Test
    void aVaultsPartitionDependsOnItsAddressOnly() {
        Address v = Address.of("0x00000000000000000000000000000000000000ff");
        assertThat(ClusterTickScheduler.partitionOf(v, 16))
                .isEqualTo(0xff % 16)
                .isEqualTo(ClusterTickScheduler.partitionOf(v, 16));
        assertThat(ClusterTickScheduler.partitionOf(Address.of("0xffffffffffffffffffffffffffffffffffffffff"), 7))
                .isEqualTo((int) (0xffffffffL % 7));
    }

    private static int partitionJobs(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM qrtz_job_details WHERE job_group = 'partitions'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
