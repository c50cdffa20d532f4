package io.unwind.app.metrics;

import static io.unwind.domain.testing.Fixtures.DAI;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.VaultHealth;
import io.unwind.engine.TickResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The per-owner gauges: each owner's vaults on Morpho Blue and Aave V3 as one book, per quote token, with the vault
 * closest to liquidation; and they hold still while cluster partitions tick only some of an owner's vaults.
 */
@Tag("pure")
class OwnerMetricsTest {
    static final Address ALICE = Address.of("0x" + "a1".repeat(20));
    static final Address BOB = Address.of("0x" + "b0".repeat(20));
    static final BlockRef HEAD =
            new BlockRef(10, new TxHash("0x" + "01".repeat(32)), new TxHash("0x" + "02".repeat(32)), Instant.EPOCH);

    // Alice: 10 WETH at 3,000 owing 22,800 USDC on Morpho (76% of an 86% LLTV), 1 WBTC at 60,000 owing 30,000 USDC on
    // Aave (50% of 78%) with a 1,000 USDC reserve.
    static final VaultHealth ALICE_MORPHO = vault(WETH, USDC)
            .address(Address.of("0x" + "11".repeat(20)))
            .owner(ALICE)
            .protocol(LendingProtocol.MORPHO_BLUE)
            .market("0x" + "e1".repeat(32))
            .collateral("10")
            .price("3000")
            .ltvBps(7600)
            .build();
    static final VaultHealth ALICE_AAVE = vault(WBTC, USDC)
            .address(Address.of("0x" + "12".repeat(20)))
            .owner(ALICE)
            .protocol(LendingProtocol.AAVE_V3)
            .market("0x" + "e2".repeat(32))
            .collateral("1")
            .price("60000")
            .ltvBps(5000)
            .lltvBps(7800)
            .reserve("1000")
            .build();
    // Bob: 5 WETH owing 12,300 DAI on Aave (82%: over the 80% trigger), 2 WETH owing 2,400 USDC on Morpho (40%).
    static final VaultHealth BOB_AAVE = vault(WETH, DAI)
            .address(Address.of("0x" + "21".repeat(20)))
            .owner(BOB)
            .protocol(LendingProtocol.AAVE_V3)
            .market("0x" + "e3".repeat(32))
            .collateral("5")
            .price("3000")
            .ltvBps(8200)
            .build();
    static final VaultHealth BOB_MORPHO = vault(WETH, USDC)
            .address(Address.of("0x" + "22".repeat(20)))
            .owner(BOB)
            .protocol(LendingProtocol.MORPHO_BLUE)
            .market("0x" + "e1".repeat(32))
            .collateral("2")
            .price("3000")
            .ltvBps(4000)
            .build();

    @Test
    void eachOwnerIsOneBookOverBothProtocolsWithTotalsPerQuoteToken() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeeperMetrics m = new KeeperMetrics(registry, Clock.systemUTC());
        for (VaultHealth h : List.of(ALICE_MORPHO, ALICE_AAVE, BOB_AAVE, BOB_MORPHO)) m.observed(h, HEAD);
        m.ticked(tick());

        assertThat(gauge(registry, KeeperMetrics.OWNER_VAULTS, ALICE)).isEqualTo(2);
        assertThat(gauge(registry, KeeperMetrics.OWNER_VAULTS, BOB)).isEqualTo(2);
        // Alice: collateral 30,000 + 60,000, reserve 1,000, debt 22,800 + 30,000.
        assertThat(quote(registry, KeeperMetrics.OWNER_EQUITY, ALICE, "USDC")).isEqualTo(38_200.0);
        assertThat(quote(registry, KeeperMetrics.OWNER_DEBT, ALICE, "USDC")).isEqualTo(52_800.0);
        assertThat(registry.find(KeeperMetrics.OWNER_EQUITY)
                        .tag("owner", ALICE.hex())
                        .gauges())
                .as("Alice owes only USDC")
                .hasSize(1);
        // Bob: DAI and USDC kept apart.
        assertThat(quote(registry, KeeperMetrics.OWNER_EQUITY, BOB, "DAI")).isEqualTo(2_700.0);
        assertThat(quote(registry, KeeperMetrics.OWNER_DEBT, BOB, "DAI")).isEqualTo(12_300.0);
        assertThat(quote(registry, KeeperMetrics.OWNER_EQUITY, BOB, "USDC")).isEqualTo(3_600.0);
        assertThat(quote(registry, KeeperMetrics.OWNER_DEBT, BOB, "USDC")).isEqualTo(2_400.0);
        // Closest to liquidation: Alice's Morpho vault (76/86, not the Aave one's 50/78); Bob's Aave vault (82/86).
        assertThat(gauge(registry, KeeperMetrics.OWNER_WORST, ALICE)).isCloseTo(0.76 / 0.86, within(1e-9));
        assertThat(gauge(registry, KeeperMetrics.OWNER_WORST, BOB)).isCloseTo(0.82 / 0.86, within(1e-9));
        assertThat(gauge(registry, KeeperMetrics.OWNER_OVER_TRIGGER, ALICE)).isZero();
        assertThat(gauge(registry, KeeperMetrics.OWNER_OVER_TRIGGER, BOB)).isEqualTo(1);
    }

    @Test
    void aPartitionThatTicksOnlySomeOfAnOwnersVaultsLeavesTheOthersAtTheirLastRead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeeperMetrics m = new KeeperMetrics(registry, Clock.systemUTC());
        // Partition 1 holds Bob's Aave vault, partition 2 his Morpho vault: each tick sees one of them.
        m.observed(BOB_AAVE, HEAD);
        m.ticked(tick());
        m.observed(BOB_MORPHO, HEAD);
        m.ticked(tick());
        for (int i = 0; i < 3; i++) {
            m.observed(BOB_MORPHO, HEAD);
            m.ticked(tick());
            assertThat(gauge(registry, KeeperMetrics.OWNER_VAULTS, BOB)).isEqualTo(2);
            assertThat(gauge(registry, KeeperMetrics.OWNER_OVER_TRIGGER, BOB)).isEqualTo(1);
            assertThat(gauge(registry, KeeperMetrics.OWNER_WORST, BOB)).isCloseTo(0.82 / 0.86, within(1e-9));
            assertThat(quote(registry, KeeperMetrics.OWNER_EQUITY, BOB, "DAI")).isEqualTo(2_700.0);
        }

        // The keeper sells: Bob's Aave vault is read at 70%, under its trigger, and still his worst (70/86 > 40/86).
        m.observed(
                vault(WETH, DAI)
                        .address(BOB_AAVE.vault())
                        .owner(BOB)
                        .protocol(LendingProtocol.AAVE_V3)
                        .collateral("4")
                        .price("3000")
                        .ltvBps(7000)
                        .build(),
                HEAD);
        assertThat(gauge(registry, KeeperMetrics.OWNER_OVER_TRIGGER, BOB)).isZero();
        assertThat(gauge(registry, KeeperMetrics.OWNER_WORST, BOB)).isCloseTo(0.70 / 0.86, within(1e-9));
        assertThat(quote(registry, KeeperMetrics.OWNER_DEBT, BOB, "DAI")).isEqualTo(8_400.0);
    }

    @Test
    void aVaultThatChangesOwnerLeavesTheOldBookAndAnOwnerWithoutDebtHasNoWorst() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeeperMetrics m = new KeeperMetrics(registry, Clock.systemUTC());
        m.observed(ALICE_MORPHO, HEAD);
        m.observed(ALICE_AAVE, HEAD);
        m.observed(
                vault(WBTC, USDC)
                        .address(ALICE_AAVE.vault())
                        .owner(BOB)
                        .protocol(LendingProtocol.AAVE_V3)
                        .collateral("1")
                        .price("60000")
                        .build(),
                HEAD);
        assertThat(gauge(registry, KeeperMetrics.OWNER_VAULTS, ALICE)).isEqualTo(1);
        assertThat(quote(registry, KeeperMetrics.OWNER_EQUITY, ALICE, "USDC")).isEqualTo(7_200.0);
        assertThat(gauge(registry, KeeperMetrics.OWNER_VAULTS, BOB)).isEqualTo(1);
        assertThat(quote(registry, KeeperMetrics.OWNER_EQUITY, BOB, "USDC")).isEqualTo(60_000.0);
        assertThat(gauge(registry, KeeperMetrics.OWNER_WORST, BOB))
                .as("no debt")
                .isNaN();
    }

    @Test
    void ownersPastTheCapGetNoSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OwnerGauges owners = new OwnerGauges(registry, 1);
        owners.observed(ALICE_MORPHO);
        owners.observed(BOB_AAVE);
        owners.observed(ALICE_AAVE);
        assertThat(registry.find(KeeperMetrics.OWNER_VAULTS).gauges()).hasSize(1);
        assertThat(gauge(registry, KeeperMetrics.OWNER_VAULTS, ALICE)).isEqualTo(2);
        assertThat(registry.find(KeeperMetrics.OWNER_EQUITY)
                        .tag("owner", BOB.hex())
                        .gauges())
                .isEmpty();
    }

    private static TickResult tick() {
        return new TickResult(HEAD, List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    private static double gauge(SimpleMeterRegistry r, String name, Address owner) {
        Gauge g = r.find(name).tag("owner", owner.hex()).gauge();
        assertThat(g).as(name + " of " + owner).isNotNull();
        return g.value();
    }

    private static double quote(SimpleMeterRegistry r, String name, Address owner, String quote) {
        Gauge g = r.find(name).tag("owner", owner.hex()).tag("quote", quote).gauge();
        assertThat(g).as(name + " of " + owner + " in " + quote).isNotNull();
        return g.value();
    }
}
