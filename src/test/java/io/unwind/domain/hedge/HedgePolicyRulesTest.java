package io.unwind.domain.hedge;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CLI's copy of UnwindHedge._setPolicy: each rule at its edge, as the contract compares (trigger in WAD). */
@Tag("pure")
class HedgePolicyRulesTest {
    private static final BigInteger LLTV_86 = new BigInteger("860000000000000000");

    private static java.util.List<String> problems(int trigger, int target, int slippage, int fee, Duration cool) {
        return HedgePolicyRules.problems(5000, 7400, trigger, target, slippage, fee, cool, LLTV_86);
    }

    @Test
    void aPolicyInsideEveryBoundPasses() {
        assertThat(problems(8599, 6000, 1000, 100, Duration.ofDays(1))).isEmpty();
    }

    @Test
    void aTriggerAtTheLltvIsRefusedAsTheContractRefusesIt() {
        assertThat(problems(8600, 6000, 100, 50, Duration.ZERO))
                .containsExactly("the trigger must be under the reverse market's LLTV (86.00%): at the LLTV Morpho"
                        + " liquidates the short before a keeper could buy it back");
    }

    @Test
    void eachOtherBoundIsNamed() {
        assertThat(problems(7800, 7800, 100, 50, Duration.ZERO))
                .singleElement()
                .asString()
                .contains("target");
        assertThat(problems(7800, 0, 100, 50, Duration.ZERO))
                .singleElement()
                .asString()
                .contains("target");
        assertThat(problems(7800, 6000, 1001, 50, Duration.ZERO))
                .containsExactly("the max slippage must be at most 10%");
        assertThat(problems(7800, 6000, 100, 101, Duration.ZERO))
                .containsExactly("the max keeper fee must be at most 1%");
        assertThat(problems(7800, 6000, 100, 50, Duration.ofSeconds(86_401)))
                .containsExactly("the cooldown must be at most 1 day");
        assertThat(HedgePolicyRules.problems(10_001, 10_001, 7800, 6000, 100, 50, Duration.ZERO, LLTV_86))
                .hasSize(2);
    }

    @Test
    void aTriggerThatLeavesEachBuyBackLittleRoomIsWarnedOfWithTheNumbers() {
        // 78% against 86%: Morpho lets 1 - 0.78 / (0.98 x 0.86) = 7.5% of the margin go before the repayment, so one
        // buy-back lowers the LTV to (0.78 - 0.075) / 0.925 = 76.2%.
        var close =
                HedgePolicyRules.warnings(new HedgePolicy(10_000, 7100, 7800, 6500, 200, 50, Duration.ZERO), LLTV_86);
        org.assertj.core.api.Assertions.assertThat(close)
                .singleElement()
                .asString()
                .contains("at the trigger (78.0%)", "only to 76.2%", "7.5% of the margin", "a lower trigger");
        // 70%: 16.9% may go, and one buy-back takes the LTV to 63.9%: no warning.
        org.assertj.core.api.Assertions.assertThat(HedgePolicyRules.warnings(
                        new HedgePolicy(10_000, 7100, 7000, 5500, 200, 50, Duration.ZERO), LLTV_86))
                .isEmpty();
    }
}
