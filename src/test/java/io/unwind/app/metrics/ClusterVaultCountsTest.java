package io.unwind.app.metrics;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.position.VaultHealth;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * In a cluster each partition ticks by itself: the vault counts must be the vaults this node read lately, each at its
 * last read, not the last partition's; a vault another node reads now drops out once its last read here is old; and
 * while the journal is down the vaults read without a tick move the gauges. The partitions' gauges: ages keep rising
 * while nothing ticks, and a partition past the threshold counts as unticked.
 */
@Tag("pure")
class ClusterVaultCountsTest {
    static final BlockRef HEAD =
            new BlockRef(10, new TxHash("0x" + "01".repeat(32)), new TxHash("0x" + "02".repeat(32)), Instant.EPOCH);
    static final VaultHealth OVER = at("11", 8200);
    static final VaultHealth UNDER = at("12", 7000);
    static final Address UNREADABLE = Address.of("0x" + "13".repeat(20));

    @Test
    void theCountsAreOfEachVaultsLastReadNotOfTheLastPartitionsTick() {
        var clock = new StepClock();
        var registry = new SimpleMeterRegistry();
        var m = new KeeperMetrics(registry, clock);
        m.countLastReadsWithin(Duration.ofSeconds(15));
        // Partition 1: the vault over its trigger; partition 2: the healthy one and an unreadable address.
        for (int i = 0; i < 3; i++) {
            m.observed(OVER, HEAD);
            m.ticked(tick());
            assertCounts(registry, i == 0 ? 1 : 3, 1, i == 0 ? 0 : 1);
            clock.advance(Duration.ofSeconds(1));
            m.observed(UNDER, HEAD);
            m.ticked(tick(VaultOutcome.of(UNREADABLE, VaultOutcome.Kind.UNREADABLE, "not a vault", null)));
            assertCounts(registry, 3, 1, 1);
            clock.advance(Duration.ofSeconds(1));
        }
        // Another node ticks partition 1 from now on: 15 s after its last read here, the vault over its trigger leaves
        // this node's counts and its gauges read NaN; the vaults this node still reads stay.
        for (int s = 0; s < 16; s++) {
            m.observed(UNDER, HEAD);
            m.ticked(tick(VaultOutcome.of(UNREADABLE, VaultOutcome.Kind.UNREADABLE, "not a vault", null)));
            clock.advance(Duration.ofSeconds(1));
        }
        assertCounts(registry, 2, 0, 1);
        assertThat(ltv(registry, OVER.vault())).isNaN();
        assertThat(ltv(registry, UNDER.vault())).isCloseTo(0.70, within(1e-9));

        // The journal is down: no tick, but the vaults read from chain at each head move the gauges.
        m.readWithoutTick(HEAD, List.of(at("11", 8300), UNDER), List.of(UNREADABLE));
        assertCounts(registry, 3, 1, 1);
        assertThat(ltv(registry, OVER.vault())).isCloseTo(0.83, within(1e-9));
        assertThat(registry.get(KeeperMetrics.HEAD).gauge().value()).isEqualTo(10);
    }

    @Test
    void aSingleKeeperStillCountsItsLastTick() {
        var registry = new SimpleMeterRegistry();
        var m = new KeeperMetrics(registry, new StepClock());
        // One tick reads every vault: the counts are its own, as before (its outcomes, and the vaults it saw over).
        m.observed(OVER, HEAD);
        m.ticked(tick(VaultOutcome.of(OVER.vault(), VaultOutcome.Kind.HEALTHY, "", null)));
        assertCounts(registry, 1, 1, 0);
        m.observed(UNDER, HEAD);
        m.ticked(tick(VaultOutcome.of(UNDER.vault(), VaultOutcome.Kind.HEALTHY, "", null)));
        assertCounts(registry, 1, 0, 0);
    }

    @Test
    void partitionAgesRiseWhileNothingTicksAndOldOnesCountAsUnticked() {
        var clock = new StepClock();
        var registry = new SimpleMeterRegistry();
        var c = new ClusterMetrics(registry, 3, clock, Duration.ofSeconds(15));
        long t0 = clock.millis();
        c.ticked(0, t0);
        c.ticked(1, t0 - 20_000); // another node's tick, read from the database
        c.ticked(1, t0 - 30_000); // an older one never moves it back
        assertThat(age(registry, 0)).isZero();
        assertThat(age(registry, 1)).isEqualTo(20.0);
        assertThat(age(registry, 2)).as("never ticked").isNaN();
        assertThat(registry.get(ClusterMetrics.PARTITIONS_UNTICKED).gauge().value())
                .isEqualTo(1);
        clock.advance(Duration.ofSeconds(16));
        assertThat(age(registry, 0)).isEqualTo(16.0);
        assertThat(registry.get(ClusterMetrics.PARTITIONS_UNTICKED).gauge().value())
                .isEqualTo(2);
        c.observed(Double.NaN);
        assertThat(registry.get(ClusterMetrics.NODES_LIVE).gauge().value()).isNaN();
        c.owned(() -> 2.5);
        assertThat(registry.get(ClusterMetrics.PARTITIONS_OWNED).gauge().value())
                .isEqualTo(2.5);
    }

    private static void assertCounts(SimpleMeterRegistry r, double watched, double over, double unreadable) {
        assertThat(r.get(KeeperMetrics.VAULTS_WATCHED).gauge().value())
                .as("watched")
                .isEqualTo(watched);
        assertThat(r.get(KeeperMetrics.VAULTS_OVER_TRIGGER).gauge().value())
                .as("over trigger")
                .isEqualTo(over);
        assertThat(r.get(KeeperMetrics.VAULTS_UNREADABLE).gauge().value())
                .as("unreadable")
                .isEqualTo(unreadable);
    }

    private static double ltv(SimpleMeterRegistry r, Address vault) {
        return r.get(KeeperMetrics.VAULT_LTV).tag("vault", vault.hex()).gauge().value();
    }

    private static double age(SimpleMeterRegistry r, int partition) {
        return r.get(ClusterMetrics.PARTITION_LAST_TICK_AGE)
                .tag("partition", Integer.toString(partition))
                .gauge()
                .value();
    }

    private static VaultHealth at(String addressByte, int ltvBps) {
        return vault(WETH, USDC)
                .address(Address.of("0x" + addressByte.repeat(20)))
                .collateral("10")
                .price("3000")
                .ltvBps(ltvBps)
                .build();
    }

    private static TickResult tick(VaultOutcome... outcomes) {
        return new TickResult(HEAD, List.of(outcomes), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
