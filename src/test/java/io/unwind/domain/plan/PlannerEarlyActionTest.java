package io.unwind.domain.plan;

import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Token;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.ExitTime;
import io.unwind.domain.risk.MarketVolatility;
import io.unwind.domain.risk.Prediction;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Between the soft and the hard trigger: the planner acts only on a prediction above the owner's threshold, and only
 * with an action that ends at or under the target (the vault refuses anything else), saying why with the numbers.
 */
@Tag("pure")
class PlannerEarlyActionTest {
    static final KeeperSettings SETTINGS = KeeperSettings.defaults();
    static final MarketConditions MARKET = MarketConditions.calm(30, Wei.gwei(10));
    /** Soft trigger 74%, early actions above a 5% predicted probability; hard trigger 80%, target 70%. */
    static final SoftTrigger SOFT = new SoftTrigger(7400, 500);

    static VaultHealth at(int ltvBps, Token collateral, String human, String price) {
        return vault(collateral, USDC)
                .collateral(human)
                .price(price)
                .ltvBps(ltvBps)
                .build()
                .withSoftTrigger(SOFT);
    }

    static Prediction prediction(double p) {
        return new Prediction(p, new MarketVolatility.Reading(0.001, 1.6, "test"), new ExitTime(1, 1, 1, 0));
    }

    @Test
    void withoutAPredictionTheVaultIsHealthy() {
        Decision d = Planner.decide(at(7600, WETH, "10", "3000"), SETTINGS, MARKET, NOW);
        assertThat(d).isInstanceOfSatisfying(Decision.Hold.class, h -> {
            assertThat(h.reason()).isEqualTo(HoldReason.HEALTHY_BELOW_TRIGGER);
            assertThat(h.detail()).contains("soft trigger 74", "no prediction");
        });
    }

    @Test
    void aPredictionAtOrUnderTheThresholdHoldsAndSaysSo() {
        Decision d =
                Planner.decide(at(7600, WETH, "10", "3000"), SETTINGS, MARKET.withPrediction(prediction(0.05)), NOW);
        assertThat(d).isInstanceOfSatisfying(Decision.Hold.class, h -> {
            assertThat(h.reason()).isEqualTo(HoldReason.HEALTHY_BELOW_TRIGGER);
            assertThat(h.reason().needsAttention()).isFalse();
            assertThat(h.detail()).contains("p 5.0%", "<= the owner's 5.0%");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {7400, 7600, 7999})
    void aPredictionOverTheThresholdSellsToTheTargetAndNoFurther(int ltvBps) {
        for (Token collateral : new Token[] {WETH, WBTC}) {
            VaultHealth h = at(ltvBps, collateral, "10", collateral == WETH ? "3000" : "60000");
            Decision d = Planner.decide(h, SETTINGS, MARKET.withPrediction(prediction(0.2)), NOW);
            assertThat(d).isInstanceOfSatisfying(Decision.Act.class, a -> {
                assertThat(a.reason().kind()).isEqualTo(ActReason.Kind.PREDICTED);
                assertThat(a.reason().prediction()).map(Prediction::probability).contains(0.2);
                assertThat(a.reason().describe()).contains("p 20%", "> the owner's 5.0%");
                assertThat(a.plan()).isInstanceOf(Plan.Sell.class);
                // The vault's rule for an early action: LTV after <= target (70%); never under target - band (65%).
                assertThat(a.plan().predictedLtvAfter()).isLessThanOrEqualTo(Ltv.bpsToWad(7000));
                assertThat(a.plan().predictedLtvAfter()).isGreaterThanOrEqualTo(Ltv.bpsToWad(6500));
                assertThat(((Plan.Sell) a.plan()).isChunk()).isFalse();
            });
        }
    }

    @Test
    void underTheSoftTriggerNothingHappensWhateverThePrediction() {
        Decision d =
                Planner.decide(at(7399, WETH, "10", "3000"), SETTINGS, MARKET.withPrediction(prediction(0.99)), NOW);
        assertThat(d).isInstanceOfSatisfying(Decision.Hold.class, h -> {
            assertThat(h.reason()).isEqualTo(HoldReason.HEALTHY_BELOW_TRIGGER);
            assertThat(h.detail()).doesNotContain("soft");
        });
    }

    @Test
    void atTheHardTriggerTheActionIsATriggerOneAsBefore() {
        Decision d =
                Planner.decide(at(8000, WETH, "10", "3000"), SETTINGS, MARKET.withPrediction(prediction(0.01)), NOW);
        assertThat(d)
                .isInstanceOfSatisfying(
                        Decision.Act.class, a -> assertThat(a.reason()).isEqualTo(ActReason.TRIGGER));
    }

    @Test
    void aSaleThatWouldBeAChunkIsNotTakenEarly() {
        // At most 2% of the collateral per action: the sale from 76% to 70% is several chunks, and an early chunk would
        // start the cooldown without reaching the target, which the vault refuses (SoftActionIncomplete).
        Policy capped = new Policy(8000, 7000, 500, 100, 50, 200, Duration.ZERO, Wei.gwei(100));
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .policy(capped)
                .ltvBps(7600)
                .build()
                .withSoftTrigger(SOFT);
        Decision d = Planner.decide(h, SETTINGS, MARKET.withPrediction(prediction(0.5)), NOW);
        assertThat(d).isInstanceOfSatisfying(Decision.Hold.class, x -> {
            assertThat(x.reason()).isEqualTo(HoldReason.HEALTHY_BELOW_TRIGGER);
            assertThat(x.detail()).contains("in one go", "chunk");
        });
        assertThat(Planner.chunksToTarget(h, SETTINGS, MARKET)).isGreaterThan(1);
        assertThat(Planner.chunksToTarget(at(7600, WETH, "10", "3000"), SETTINGS, MARKET))
                .isEqualTo(1);
    }

    @Test
    void aReserveThatCoversTheWholeRepaymentTopsUpEarly() {
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .ltvBps(7600)
                .reserve("5000")
                .build()
                .withSoftTrigger(SOFT);
        Decision d = Planner.decide(h, SETTINGS, MARKET.withPrediction(prediction(0.5)), NOW);
        assertThat(d).isInstanceOfSatisfying(Decision.Act.class, a -> {
            assertThat(a.plan())
                    .isInstanceOfSatisfying(
                            Plan.TopUp.class, t -> assertThat(t.coverage()).isEqualTo(Plan.Coverage.FULL));
            assertThat(a.plan().predictedLtvAfter()).isLessThanOrEqualTo(Ltv.bpsToWad(7000));
        });
    }

    @Test
    void aCooldownInTheSoftZoneIsNoAlarm() {
        Policy cooling = new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ofHours(1), Wei.gwei(100));
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .policy(cooling)
                .ltvBps(7600)
                .lastActionAt(NOW.minusSeconds(60))
                .build()
                .withSoftTrigger(SOFT);
        Decision d = Planner.decide(h, SETTINGS, MARKET.withPrediction(prediction(0.5)), NOW);
        assertThat(d).isInstanceOfSatisfying(Decision.Hold.class, x -> {
            assertThat(x.reason()).isEqualTo(HoldReason.HEALTHY_BELOW_TRIGGER);
            assertThat(x.detail()).contains("cooling down");
            assertThat(x.until()).isPresent();
        });
    }
}
