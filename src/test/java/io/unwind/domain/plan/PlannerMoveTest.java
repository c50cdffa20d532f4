package io.unwind.domain.plan;

import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The planner with a move source from the block's book: a move when it reaches the target, else as before. */
@Tag("pure")
class PlannerMoveTest {
    static final KeeperSettings SETTINGS = KeeperSettings.defaults();
    static final MarketConditions MARKET = MarketConditions.calm(30, Wei.gwei(10));
    static final Address SOURCE = Address.of("0x" + "5a".repeat(20));

    static VaultHealth over() {
        return vault(WETH, USDC).collateral("10").price("3000").ltvBps(8200).build();
    }

    static MoveSource source(String spare) {
        // 100 WETH, 20% LTV at 3000, target 70%.
        BigInteger collateral = units("100", WETH);
        VaultHealth s =
                vault(WETH, USDC).collateral("100").price("3000").ltvBps(2000).build();
        return new MoveSource(SOURCE, collateral, s.debt(), s.price(), Ltv.bpsToWad(7000), units(spare, WETH));
    }

    @Test
    void aSourceWithEnoughSpareIsMovedFromToTheTargetAtNoCost() {
        VaultHealth h = over();
        Decision d = Planner.decide(h, SETTINGS, MARKET.withMoveSource(source("5")), NOW);

        Plan.Move m = (Plan.Move) ((Decision.Act) d).plan();
        assertThat(m.source()).isEqualTo(SOURCE);
        BigInteger needed =
                Ltv.collateralForLtv(h.debt(), h.price(), Ltv.bpsToWad(7000)).subtract(h.collateral());
        assertThat(m.amount().units()).isEqualTo(needed);
        // Exactly the target, with the contract's rounding, and one base unit less would not reach it.
        assertThat(m.predictedLtvAfter())
                .isEqualTo(Ltv.ltv(h.collateral().add(needed), h.debt(), h.price()))
                .isLessThanOrEqualTo(Ltv.bpsToWad(7000));
        assertThat(Ltv.ltv(h.collateral().add(needed).subtract(BigInteger.ONE), h.debt(), h.price()))
                .isGreaterThan(Ltv.bpsToWad(7000));
        assertThat(m.sourceLtvAfter()).isGreaterThan(m.sourceLtvBefore()).isLessThanOrEqualTo(Ltv.bpsToWad(7000));
        // The decision says why: what the other actions would have cost.
        assertThat(m.alternatives())
                .contains("costs the owner nothing")
                .contains("top-up")
                .contains("sale");
    }

    @Test
    void forAnAaveVaultTheSaleItWouldHaveTakenCountsTheFlashLoanPremium() {
        VaultHealth morpho = over();
        VaultHealth aave = over().withProtocol(io.unwind.domain.position.LendingProtocol.AAVE_V3)
                .withFlashPremiumBps(9);
        String m = ((Plan.Move)
                        ((Decision.Act) Planner.decide(morpho, SETTINGS, MARKET.withMoveSource(source("5")), NOW))
                                .plan())
                .alternatives();
        String a = ((Plan.Move)
                        ((Decision.Act) Planner.decide(aave, SETTINGS, MARKET.withMoveSource(source("5")), NOW)).plan())
                .alternatives();
        assertThat(m).doesNotContain("premium");
        assertThat(a).contains("in fee, flash-loan premium and");
        assertThat(a).isNotEqualTo(m);
    }

    @Test
    void aSourceThatCannotReachTheTargetIsNotUsed() {
        Decision d = Planner.decide(over(), SETTINGS, MARKET.withMoveSource(source("0.5")), NOW);
        assertThat(((Decision.Act) d).plan()).isInstanceOf(Plan.Sell.class);
    }

    @Test
    void aMoveBeatsAFullTopUp() {
        VaultHealth rich = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .ltvBps(8200)
                .reserve("100000")
                .build();
        assertThat(((Decision.Act) Planner.decide(rich, SETTINGS, MARKET, NOW)).plan())
                .isInstanceOf(Plan.TopUp.class);
        assertThat(((Decision.Act) Planner.decide(rich, SETTINGS, MARKET.withMoveSource(source("5")), NOW)).plan())
                .isInstanceOf(Plan.Move.class);
    }

    @Test
    void theDestinationsCooldownDoesNotStopAMove() {
        // A move neither needs nor starts the destination's cooldown (the vault checks only the source's).
        VaultHealth cooling = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .ltvBps(8200)
                .policy(new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ofHours(1), Wei.gwei(100)))
                .lastActionAt(NOW.minusSeconds(60))
                .build();
        assertThat(Planner.decide(cooling, SETTINGS, MARKET, NOW))
                .isInstanceOfSatisfying(
                        Decision.Hold.class, h -> assertThat(h.reason()).isEqualTo(HoldReason.COOLING_DOWN));
        assertThat(((Decision.Act) Planner.decide(cooling, SETTINGS, MARKET.withMoveSource(source("5")), NOW)).plan())
                .isInstanceOf(Plan.Move.class);
    }

    @Test
    void aPausedDestinationIsHeldWhateverTheSource() {
        VaultHealth paused = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .ltvBps(8200)
                .paused(true)
                .build();
        assertThat(Planner.decide(paused, SETTINGS, MARKET.withMoveSource(source("5")), NOW))
                .isInstanceOfSatisfying(
                        Decision.Hold.class, h -> assertThat(h.reason()).isEqualTo(HoldReason.PAUSED));
    }

    @Test
    void underTheTriggerNothingIsMoved() {
        VaultHealth healthy =
                vault(WETH, USDC).collateral("10").price("3000").ltvBps(7900).build();
        assertThat(Planner.decide(healthy, SETTINGS, MARKET.withMoveSource(source("5")), NOW))
                .isInstanceOf(Decision.Hold.class);
    }
}
