package io.unwind.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class UrgencyModelTest {
    static final BigInteger TRIGGER = Ltv.bpsToWad(8000);
    static final BigInteger LLTV = Ltv.bpsToWad(8600);

    static Urgency at(int ltvBps, double movePerBlockBps) {
        return UrgencyModel.assess(Ltv.bpsToWad(ltvBps), TRIGGER, LLTV, movePerBlockBps, 20);
    }

    @Test
    void atTheTriggerOnAStillMarketNothingIsUrgent() {
        Urgency u = at(8000, 0);
        assertThat(u.score()).isZero();
        assertThat(u.blocksToLiquidation()).isInfinite();
        assertThat(u.level()).isEqualTo(Urgency.Level.ROUTINE);
    }

    @Test
    void theLtvComponentIsTheWayFromTriggerToLltv() {
        assertThat(at(8300, 0).score()).isCloseTo(0.5, within(1e-12));
        assertThat(at(8300, 0).level()).isEqualTo(Urgency.Level.URGENT);
        assertThat(at(8540, 0).level()).isEqualTo(Urgency.Level.CRITICAL);
    }

    @Test
    void atOrPastTheLltvItIsFullyUrgent() {
        assertThat(at(8600, 0)).isEqualTo(new Urgency(1, 1, 1, 0));
        assertThat(UrgencyModel.assess(Ltv.UINT256_MAX, TRIGGER, LLTV, 0, 20).score())
                .isEqualTo(1);
    }

    @Test
    void volatilityRaisesUrgencyByBlocksToLiquidation() {
        // At 80% of an 86% LLTV, a price drop of 1 - 80/86 = 6.98% liquidates; at 10 bps a block that is 69.8 blocks.
        Urgency u = at(8000, 10);
        assertThat(u.blocksToLiquidation()).isCloseTo(69.77, within(0.01));
        assertThat(u.volatilityComponent()).isCloseTo(20 / 69.767, within(1e-3));
        assertThat(u.score()).isEqualTo(u.volatilityComponent());
        // Both readings together, as independent risks.
        Urgency both = at(8300, 10);
        double expected = 1 - (1 - both.ltvComponent()) * (1 - both.volatilityComponent());
        assertThat(both.score()).isCloseTo(expected, within(1e-12)).isGreaterThan(both.ltvComponent());
    }

    @Test
    void aMoveThatLiquidatesWithinTheHorizonIsFullyUrgent() {
        assertThat(at(8000, 500).score()).isEqualTo(1);
    }

    @Test
    void nonsenseInputsAreRefused() {
        assertThatThrownBy(() -> at(8000, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> at(8000, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Urgency.ofScore(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
