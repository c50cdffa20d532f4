package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.store.Database;
import io.unwind.store.KeeperNodes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cluster node's claim on its id and key, against the node registry in a real journal database: a live node's id or
 * key is refused, naming it; the id of a node that died moments ago, or stopped cleanly, is free.
 */
@Tag("pure")
class ClusterIdentityTest {
    private static final long CHAIN = 31337;
    private static final Address KEY_A = Address.of("0x" + "a1".repeat(20));
    private static final Address KEY_B = Address.of("0x" + "b2".repeat(20));
    private static final Duration CHECKIN = Duration.ofMillis(200);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(15);

    private Database db;
    private KeeperNodes nodes;

    @BeforeEach
    void open() {
        db = Database.open(Database.inMemoryUrl("identity-" + UUID.randomUUID()), "sa", "");
        nodes = new KeeperNodes(db.dataSource(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void claim(String id, Address key, ClusterIdentity.Sleeper sleeper) {
        ClusterIdentity.claim(nodes, id, CHAIN, key, CHECKIN, DEAD_AFTER, Clock.systemUTC(), sleeper);
    }

    @Test
    void aLiveNodesIdIsRefusedNamingItsKey() {
        nodes.heartbeat("keeper-a", CHAIN, KEY_A, Optional.of(10L));
        // The live node checks in while the newcomer watches its row.
        assertThatThrownBy(() -> claim("keeper-a", KEY_B, d -> {
                    Thread.sleep(5);
                    nodes.heartbeat("keeper-a", CHAIN, KEY_A, Optional.of(11L));
                }))
                .isInstanceOf(ClusterIdentity.Refused.class)
                .hasMessageContaining("cluster.nodeId keeper-a is held by a live node (keeper " + KEY_A)
                .hasMessageContaining("needs its own cluster.nodeId");
        // Nothing of the newcomer's was written: the row is still the live node's.
        assertThat(nodes.all(CHAIN))
                .singleElement()
                .satisfies(n -> assertThat(n.sender()).isEqualTo(KEY_A));
    }

    @Test
    void theIdOfANodeThatStoppedCheckingInIsFreeAfterTwoCheckIns() {
        nodes.heartbeat("keeper-a", CHAIN, KEY_A, Optional.of(10L));
        long start = System.nanoTime();
        // Nobody refreshes the row: its node died moments ago (SIGKILL). The same node, restarted, waits and goes on.
        assertThatCode(() -> claim("keeper-a", KEY_A, d -> Thread.sleep(d.toMillis())))
                .doesNotThrowAnyException();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(CHECKIN.multipliedBy(2));
    }

    @Test
    void aKeyAnotherLiveNodeSignsWithIsRefused() {
        nodes.heartbeat("keeper-a", CHAIN, KEY_A, Optional.of(10L));
        assertThatThrownBy(() -> claim("keeper-b", KEY_A, d -> {}))
                .isInstanceOf(ClusterIdentity.Refused.class)
                .hasMessageContaining("keeper " + KEY_A + " is the key of node keeper-a too")
                .hasMessageContaining("race each other for its nonces");
        // Another key, another id: free.
        assertThatCode(() -> claim("keeper-b", KEY_B, d -> {
                    throw new AssertionError("no wait for a free id");
                }))
                .doesNotThrowAnyException();
    }

    @Test
    void aCleanStopIsRecordedAtOnceAndTheIdIsFreeWithoutWaiting() {
        nodes.heartbeat("keeper-a", CHAIN, KEY_A, Optional.of(10L));
        nodes.leave("keeper-a", CHAIN);
        assertThat(nodes.live(CHAIN, DEAD_AFTER)).isEmpty();
        assertThatCode(() -> claim("keeper-a", KEY_A, d -> {
                    throw new AssertionError("no wait after a clean stop");
                }))
                .doesNotThrowAnyException();
    }
}
