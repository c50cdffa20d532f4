package io.unwind.domain.scan;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.testing.Fixtures;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which vaults a tick reads when far-from-trigger vaults may wait: never one whose LTV at the current price is near its
 * trigger.
 */
@Tag("pure")
class ScanPlanTest {
    private static final String MARKET = "0x" + "cd".repeat(32);
    private static final Address FAR = Address.of("0x" + "0a".repeat(20));
    private static final Address NEAR = Address.of("0x" + "0b".repeat(20));
    private static final Address FARTHER = Address.of("0x" + "0c".repeat(20));

    /** 10 WETH at {@code price}, LTV {@code bps}, trigger 80% (Fixtures.policy()). */
    private static VaultHealth vault(Address a, String price, int bps) {
        VaultHealth h = Fixtures.vault(WETH, USDC)
                .collateral("10")
                .price(price)
                .ltvBps(bps)
                .build();
        return new VaultHealth(
                a,
                h.owner(),
                h.marketId(),
                h.loanToken(),
                h.collateralToken(),
                h.collateral(),
                h.borrowShares(),
                h.debt(),
                h.price(),
                h.ltv(),
                h.lltv(),
                h.policy(),
                h.reserve(),
                h.lastActionAt(),
                h.paused(),
                h.keeperAllowed());
    }

    private static Map<String, BigInteger> at(String price) {
        return Map.of(MARKET, Fixtures.price(price, WETH, USDC));
    }

    @Test
    void withFullEveryOneEveryVaultIsReadEveryBlock() {
        ScanPlan p = new ScanPlan(1, 300);
        p.record(vault(FAR, "3000", 5000), 100);
        assertThat(p.first(List.of(FAR, NEAR), 101)).containsExactly(FAR, NEAR);
        assertThat(p.second(List.of(FAR, NEAR), List.of(FAR, NEAR), at("3000"))).isEmpty();
    }

    @Test
    void vaultsNeverReadAreRead() {
        ScanPlan p = new ScanPlan(1000, 300);
        assertThat(p.first(List.of(FAR, NEAR), 100)).containsExactly(FAR, NEAR);
    }

    @Test
    void aVaultNearItsTriggerIsReadEveryBlockAndAFarOneWaitsWhileThePriceHolds() {
        ScanPlan p = new ScanPlan(1000, 300);
        List<Address> all = List.of(FAR, NEAR);
        p.record(vault(FAR, "3000", 7000), 100);
        p.record(vault(NEAR, "3000", 7800), 100);
        List<Address> first = p.first(all, 101);
        assertThat(first).containsExactly(NEAR); // NEAR also tells the market's price: no sentinel needed
        // The price fell 1.7%: FAR's LTV is 71.2%, still more than 3% of LTV below 80%.
        assertThat(p.second(all, first, at("2950"))).isEmpty();
        VaultHealth carried = p.carried(FAR, at("2950")).orElseThrow();
        BigInteger exact = Ltv.ltv(carried.collateral(), carried.debt(), Fixtures.price("2950", WETH, USDC));
        assertThat(carried.ltv().subtract(exact).abs()).isLessThanOrEqualTo(BigInteger.valueOf(3));
        assertThat(carried.price()).isEqualTo(Fixtures.price("2950", WETH, USDC));
    }

    @Test
    void aPriceMoveThatBringsAFarVaultNearItsTriggerGetsItReadInTheSameTick() {
        ScanPlan p = new ScanPlan(1000, 300);
        List<Address> all = List.of(FAR, NEAR);
        p.record(vault(FAR, "3000", 7000), 100);
        p.record(vault(NEAR, "3000", 7800), 100);
        List<Address> first = p.first(all, 101);
        // 10% down in one block: FAR's LTV would be 77.8%, within 3% of the 80% trigger.
        assertThat(p.second(all, first, at("2700"))).containsExactly(FAR);
        // A price the tick did not learn (no vault of that market read) also means: read it.
        assertThat(p.second(all, first, Map.of())).containsExactly(FAR);
    }

    @Test
    void whenEveryVaultOfAMarketIsFarTheNearestStandsForItsPrice() {
        ScanPlan p = new ScanPlan(1000, 300);
        p.record(vault(FAR, "3000", 7000), 100);
        p.record(vault(FARTHER, "3000", 5000), 100);
        assertThat(p.first(List.of(FAR, FARTHER), 101)).containsExactly(FAR);
    }

    @Test
    void everyVaultIsReadAgainWithinFullEveryBlocks() {
        ScanPlan p = new ScanPlan(4, 300);
        p.record(vault(FAR, "3000", 7000), 100);
        p.record(vault(FARTHER, "3000", 5000), 100);
        assertThat(p.first(List.of(FAR, FARTHER), 104)).containsExactlyInAnyOrder(FAR, FARTHER);
        // Staggered: between records, each vault is due on its own block, so some blocks read it early.
        int readFarther = 0;
        for (long b = 101; b <= 103; b++) {
            if (p.first(List.of(FAR, FARTHER), b).contains(FARTHER)) readFarther++;
        }
        assertThat(readFarther).isLessThanOrEqualTo(1);
    }

    @Test
    void aVaultWhoseOracleFailedIsAlwaysReadAndAForgottenOneIsReadAgain() {
        ScanPlan p = new ScanPlan(1000, 300);
        VaultHealth noPrice =
                Fixtures.vault(WETH, USDC).collateral("10").debt("1000").build(); // price 0: the oracle did not answer
        VaultHealth blind = new VaultHealth(
                FAR,
                noPrice.owner(),
                noPrice.marketId(),
                noPrice.loanToken(),
                noPrice.collateralToken(),
                noPrice.collateral(),
                noPrice.borrowShares(),
                noPrice.debt(),
                noPrice.price(),
                noPrice.ltv(),
                noPrice.lltv(),
                noPrice.policy(),
                noPrice.reserve(),
                noPrice.lastActionAt(),
                noPrice.paused(),
                noPrice.keeperAllowed());
        p.record(blind, 100);
        p.record(vault(NEAR, "3000", 7800), 100);
        assertThat(p.first(List.of(FAR, NEAR), 101)).contains(FAR);
        p.record(vault(FARTHER, "3000", 5000), 100);
        p.forget(FARTHER);
        assertThat(p.first(List.of(FARTHER, NEAR), 101)).contains(FARTHER);
    }
}
