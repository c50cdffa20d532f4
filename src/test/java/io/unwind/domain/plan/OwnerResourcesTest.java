package io.unwind.domain.plan;

import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.portfolio.PortfolioLinks;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How one block's owner resources are shared among the owner's acting vaults: spare collateral of the owner's other
 * vaults (moves) and the shared reserve's balance, closest to liquidation first, never counted twice.
 */
@org.junit.jupiter.api.Tag("pure")
class OwnerResourcesTest {
    static final Address ALICE = Address.of("0x" + "a1".repeat(20));
    static final Address BOB = Address.of("0x" + "b0".repeat(20));
    static final Address RESERVE = Address.of("0x" + "5e".repeat(20));
    static final Address D1 = addr("d1");
    static final Address D2 = addr("d2");
    static final Address S = addr("5a");
    static final KeeperSettings SETTINGS = KeeperSettings.defaults();

    static Address addr(String tag) {
        return Address.of("0x" + tag.repeat(20));
    }

    /** A WETH/USDC vault of {@code owner} at {@code ltvBps} (fixture policy: trigger 80%, target 70%). */
    static VaultHealth at(Address v, Address owner, int ltvBps, String collateral) {
        return vault(WETH, USDC)
                .address(v)
                .owner(owner)
                .collateral(collateral)
                .price("3000")
                .ltvBps(ltvBps)
                .build();
    }

    static PortfolioLinks peers(Address... peers) {
        return new PortfolioLinks(Address.ZERO, 1_000, Set.of(peers));
    }

    static OwnerResources.Allocation allocate(
            List<VaultHealth> acting,
            List<VaultHealth> all,
            Map<Address, PortfolioLinks> links,
            Map<Address, BigInteger> available,
            Map<Address, BigInteger> balances) {
        return OwnerResources.allocate(
                acting, all, links, available, balances, h -> Planner.topUpNeed(h, SETTINGS, Wei.ZERO), NOW);
    }

    /** Collateral a vault needs to reach the fixture's 70% target. */
    static BigInteger needed(VaultHealth h) {
        return Ltv.collateralForLtv(h.debt(), h.price(), Ltv.bpsToWad(7000)).subtract(h.collateral());
    }

    @Test
    void aSourceThatCanGiveAllANeedsIsSetAsideAndKeepsItselfAtItsTarget() {
        VaultHealth d = at(D1, ALICE, 8200, "10");
        VaultHealth s = at(S, ALICE, 2000, "100");
        var a = allocate(List.of(d), List.of(d, s), Map.of(D1, peers(S), S, peers(D1)), Map.of(), Map.of());

        MoveSource src = a.moveFor(D1).orElseThrow();
        assertThat(src.vault()).isEqualTo(S);
        // The cap (10% of 100 WETH) binds before the source's target (70%, far away at 20%).
        assertThat(src.spare()).isEqualTo(units("10", WETH));
        assertThat(needed(d)).isLessThan(src.spare());
        assertThat(a.grantFor(D1)).isZero();
    }

    @Test
    void theSourceNeverGoesPastItsOwnTarget() {
        VaultHealth s = at(S, ALICE, 6900, "100"); // 69%: 1 point under its 70% target
        MoveSource src = OwnerResources.sourceOf(s, new PortfolioLinks(Address.ZERO, 10_000, Set.of(D1)));
        assertThat(src.ltvAfter(src.spare())).isLessThanOrEqualTo(Ltv.bpsToWad(7000));
        assertThat(src.ltvAfter(src.spare().add(units("0.01", WETH)))).isGreaterThan(Ltv.bpsToWad(7000));
    }

    @Test
    void aMoveNeedsBothEndsToListEachOtherAndOneOwnerAndOneCollateralToken() {
        VaultHealth d = at(D1, ALICE, 8200, "10");
        VaultHealth s = at(S, ALICE, 2000, "100");
        // The source does not list the destination.
        assertThat(allocate(List.of(d), List.of(d, s), Map.of(D1, peers(S), S, peers()), Map.of(), Map.of())
                        .moveFor(D1))
                .isEmpty();
        // Another owner's vault.
        VaultHealth bobs = at(S, BOB, 2000, "100");
        assertThat(allocate(List.of(d), List.of(d, bobs), Map.of(D1, peers(S), S, peers(D1)), Map.of(), Map.of())
                        .moveFor(D1))
                .isEmpty();
        // Another collateral token.
        VaultHealth wbtc = vault(WBTC, USDC)
                .address(S)
                .owner(ALICE)
                .collateral("10")
                .price("60000")
                .ltvBps(2000)
                .build();
        assertThat(allocate(List.of(d), List.of(d, wbtc), Map.of(D1, peers(S), S, peers(D1)), Map.of(), Map.of())
                        .moveFor(D1))
                .isEmpty();
        // A source this keeper may not act on, a paused one, one cooling down, one with moves off.
        for (VaultHealth bad : List.of(
                vault(WETH, USDC)
                        .address(S)
                        .owner(ALICE)
                        .collateral("100")
                        .price("3000")
                        .ltvBps(2000)
                        .keeperAllowed(false)
                        .build(),
                vault(WETH, USDC)
                        .address(S)
                        .owner(ALICE)
                        .collateral("100")
                        .price("3000")
                        .ltvBps(2000)
                        .paused(true)
                        .build(),
                vault(WETH, USDC)
                        .address(S)
                        .owner(ALICE)
                        .collateral("100")
                        .price("3000")
                        .ltvBps(2000)
                        .policy(new io.unwind.domain.position.Policy(
                                8000, 7000, 500, 100, 50, 10_000, Duration.ofHours(1), Wei.gwei(100)))
                        .lastActionAt(NOW.minusSeconds(60))
                        .build())) {
            assertThat(allocate(List.of(d), List.of(d, bad), Map.of(D1, peers(S), S, peers(D1)), Map.of(), Map.of())
                            .moveFor(D1))
                    .isEmpty();
        }
        assertThat(allocate(
                                List.of(d),
                                List.of(d, s),
                                Map.of(D1, peers(S), S, new PortfolioLinks(Address.ZERO, 0, Set.of(D1))),
                                Map.of(),
                                Map.of())
                        .moveFor(D1))
                .isEmpty();
    }

    @Test
    void aVaultThatMustActItselfIsNobodysSource() {
        VaultHealth d1 = at(D1, ALICE, 8200, "10");
        VaultHealth d2 = at(D2, ALICE, 8100, "100");
        var a = allocate(List.of(d1, d2), List.of(d1, d2), Map.of(D1, peers(D2), D2, peers(D1)), Map.of(), Map.of());
        assertThat(a.moves()).isEmpty();
    }

    @Test
    void theMostUrgentVaultGetsTheSpareCollateralAndTheNextOneTheSharedReserve() {
        // The source can give 10% of 30 WETH = 3 WETH: enough for either destination (2 and 1.7 WETH), not for both.
        VaultHealth urgent = at(D1, ALICE, 8400, "10");
        VaultHealth next = at(D2, ALICE, 8200, "10");
        VaultHealth s = at(S, ALICE, 2000, "30");
        assertThat(needed(urgent).add(needed(next))).isGreaterThan(units("3", WETH));
        assertThat(needed(next)).isLessThan(units("3", WETH));
        PortfolioLinks destLinks = new PortfolioLinks(RESERVE, 1_000, Set.of(S));
        Map<Address, PortfolioLinks> links =
                Map.of(D1, destLinks, D2, destLinks, S, new PortfolioLinks(Address.ZERO, 1_000, Set.of(D1, D2)));
        var a = allocate(
                List.of(urgent, next),
                List.of(urgent, next, s),
                links,
                Map.of(D1, units("50000", USDC), D2, units("50000", USDC)),
                Map.of(RESERVE, units("50000", USDC)));

        assertThat(a.moveFor(D1)).isPresent();
        assertThat(a.moveFor(D2)).isEmpty();
        // The second gets its whole top-up to the target (fee included) from the shared reserve.
        assertThat(a.grantFor(D2)).isEqualTo(Planner.topUpNeed(next, SETTINGS, Wei.ZERO));
        assertThat(a.grantFor(D1)).isZero();
    }

    @Test
    void aShortSharedReserveServesTheVaultClosestToLiquidationFirst() {
        VaultHealth urgent = at(D1, ALICE, 8400, "10");
        VaultHealth next = at(D2, ALICE, 8200, "10");
        PortfolioLinks l = new PortfolioLinks(RESERVE, 0, Set.of());
        BigInteger needUrgent = Planner.topUpNeed(urgent, SETTINGS, Wei.ZERO);
        BigInteger balance = needUrgent.add(units("100", USDC)); // all the first needs, and 100 USDC more
        var a = allocate(
                List.of(urgent, next),
                List.of(urgent, next),
                Map.of(D1, l, D2, l),
                Map.of(D1, units("1000000", USDC), D2, units("1000000", USDC)),
                Map.of(RESERVE, balance));

        assertThat(a.grantFor(D1)).isEqualTo(needUrgent);
        assertThat(a.grantFor(D2)).isEqualTo(units("100", USDC));
    }

    @Test
    void aVaultsOwnReserveIsUsedFirstAndItsLimitBinds() {
        VaultHealth d = vault(WETH, USDC)
                .address(D1)
                .owner(ALICE)
                .collateral("10")
                .price("3000")
                .ltvBps(8200)
                .reserve("1000")
                .build();
        PortfolioLinks l = new PortfolioLinks(RESERVE, 0, Set.of());
        BigInteger need = Planner.topUpNeed(d, SETTINGS, Wei.ZERO);
        var plenty = allocate(
                List.of(d), List.of(d), Map.of(D1, l), Map.of(D1, need), Map.of(RESERVE, units("1000000", USDC)));
        assertThat(plenty.grantFor(D1)).isEqualTo(need.subtract(units("1000", USDC)));
        var limited = allocate(
                List.of(d),
                List.of(d),
                Map.of(D1, l),
                Map.of(D1, units("500", USDC)),
                Map.of(RESERVE, units("1000000", USDC)));
        assertThat(limited.grantFor(D1)).isEqualTo(units("500", USDC));
    }

    @Test
    void unlinkedVaultsGetNothing() {
        VaultHealth d = at(D1, ALICE, 8200, "10");
        var a = allocate(List.of(d), List.of(d), Map.of(), Map.of(), Map.of());
        assertThat(a.moves()).isEmpty();
        assertThat(a.sharedGrants()).isEmpty();
    }
}
