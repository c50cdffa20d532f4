package io.unwind.domain.fee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Urgency;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class FeePolicyTest {
    static final FeePolicy POLICY = new FeePolicy(FeeSettings.defaults()); // p25..p90, emergency from 0.5, +12.5%
    // Tips (gwei) at p25 and p90 in five blocks: medians 2 and 10.
    static final long[][] TIPS = {{1, 8}, {2, 10}, {3, 12}, {2, 9}, {5, 40}};
    static final FeeHistory HISTORY = Histories.of(20, 20, TIPS);
    static final FeeCaps CAPS = new FeeCaps(Wei.gwei(100), Wei.gwei(300));

    @Test
    void theTipRisesFromTheNormalToTheUrgentPercentileWithUrgency() {
        assertThat(POLICY.tip(HISTORY, Urgency.NONE)).isEqualTo(Wei.gwei(2));
        assertThat(POLICY.tip(HISTORY, Urgency.ofScore(1))).isEqualTo(Wei.gwei(10));
        assertThat(POLICY.tip(HISTORY, Urgency.ofScore(0.5))).isEqualTo(Wei.gwei(6));
    }

    @Test
    void emptyBlocksFallBackToTheMinimumTip() {
        FeeHistory quiet = Histories.of(1, 1, new long[][] {{0, 0}, {0, 0}});
        assertThat(POLICY.tip(quiet, Urgency.ofScore(1)))
                .isEqualTo(FeeSettings.defaults().minTip());
    }

    @Test
    void theFeeCapIsTwiceTheNextBaseFeePlusTheTip() {
        FeeDecision d = POLICY.decide(HISTORY, Urgency.NONE, CAPS);
        assertThat(d).isInstanceOf(FeeDecision.AtMarket.class);
        assertThat(d.toSend()).contains(new Eip1559Fees(Wei.gwei(42), Wei.gwei(2)));
    }

    @Test
    void overTheCapButIncludableNowTheFeeCapIsLoweredToTheCap() {
        FeeHistory h = Histories.of(60, 60, TIPS); // market cap 122 gwei > 100, but 60 + 2 fits under 100
        FeeDecision d = POLICY.decide(h, Urgency.NONE, CAPS);
        assertThat(d).isInstanceOf(FeeDecision.Capped.class);
        assertThat(d.toSend()).contains(new Eip1559Fees(Wei.gwei(100), Wei.gwei(2)));
        assertThat(d.market().maxFeePerGas()).isEqualTo(Wei.gwei(122));
    }

    @Test
    void whenHealthyAndTheMarketIsOverTheCapItSaysWait() {
        FeeHistory h = Histories.of(150, 150, TIPS);
        FeeDecision d = POLICY.decide(h, Urgency.ofScore(0.2), CAPS);
        assertThat(d).isInstanceOf(FeeDecision.Wait.class);
        assertThat(d.toSend()).isEmpty();
        assertThat(d.cap()).isEqualTo(Wei.gwei(100));
        assertThat(d.why()).contains("not urgent");
    }

    @Test
    void whenUrgentTheEmergencyCapAppliesAndOverItItPaysAtTheCap() {
        FeeHistory h = Histories.of(150, 150, TIPS);
        FeeDecision urgentButFits = POLICY.decide(h, Urgency.ofScore(0.6), CAPS);
        assertThat(urgentButFits.cap()).isEqualTo(Wei.gwei(300));
        assertThat(urgentButFits).isInstanceOf(FeeDecision.Capped.class); // 300 + tip > 300 cap, 150 + tip fits

        FeeHistory spike = Histories.of(400, 400, TIPS);
        FeeDecision d = POLICY.decide(spike, Urgency.ofScore(0.9), CAPS);
        assertThat(d).isInstanceOf(FeeDecision.PayAtCap.class);
        Eip1559Fees sent = d.toSend().orElseThrow();
        assertThat(sent.maxFeePerGas()).isEqualTo(Wei.gwei(300));
        assertThat(sent.includableAt(Wei.gwei(400))).isFalse();
    }

    @Test
    void aBumpRaisesBothFieldsByTheConfiguredStepOrToTheMarket() {
        Eip1559Fees old = new Eip1559Fees(Wei.gwei(40), Wei.gwei(2));
        var calm = new Eip1559Fees(Wei.gwei(30), Wei.gwei(1));
        BumpDecision.Replace r = (BumpDecision.Replace) FeePolicy.bump(old, calm, Wei.gwei(100), 1125);
        assertThat(r.fees()).isEqualTo(new Eip1559Fees(Wei.gwei(45), Wei.parseGwei("2.25")));
        assertThat(r.capped()).isFalse();
        var busy = new Eip1559Fees(Wei.gwei(80), Wei.gwei(5));
        assertThat(((BumpDecision.Replace) FeePolicy.bump(old, busy, Wei.gwei(100), 1125)).fees())
                .isEqualTo(new Eip1559Fees(Wei.gwei(80), Wei.gwei(5)));
    }

    @Test
    void aBumpIsHeldToTheCapWhileStillTenPercentMore() {
        Eip1559Fees old = new Eip1559Fees(Wei.gwei(90), Wei.gwei(2));
        var busy = new Eip1559Fees(Wei.gwei(150), Wei.gwei(5));
        BumpDecision.Replace r = (BumpDecision.Replace) FeePolicy.bump(old, busy, Wei.gwei(100), 1125);
        assertThat(r.fees()).isEqualTo(new Eip1559Fees(Wei.gwei(100), Wei.gwei(5)));
        assertThat(r.capped()).isTrue();
    }

    @Test
    void whenTheCapLeavesNoRoomForTenPercentItSaysResendUnchanged() {
        Eip1559Fees old = new Eip1559Fees(Wei.gwei(95), Wei.gwei(2));
        BumpDecision d = FeePolicy.bump(old, old, Wei.gwei(100), 1125); // +10% would be 104.5 gwei
        assertThat(d).isInstanceOf(BumpDecision.ResendUnchanged.class);
        assertThat(((BumpDecision.ResendUnchanged) d).current()).isEqualTo(old);
        // Exactly +10% fits: 95 -> 104.5 gwei under a 104.5 gwei cap, the tip rising by 12.5% as configured.
        BumpDecision.Replace r = (BumpDecision.Replace) FeePolicy.bump(old, old, Wei.parseGwei("104.5"), 1125);
        assertThat(r.fees()).isEqualTo(new Eip1559Fees(Wei.parseGwei("104.5"), Wei.parseGwei("2.25")));
        assertThat(r.capped()).isTrue();
    }

    @Test
    void tenPercentIsRoundedUpAndAZeroTipStillRises() {
        // geth wants new >= floor(old * 1.1) and new > old: 15 wei -> 17 (16.5 rounded up), 0 -> 1.
        Eip1559Fees min = FeePolicy.minimumReplacement(new Eip1559Fees(Wei.of(15), Wei.ZERO));
        assertThat(min).isEqualTo(new Eip1559Fees(Wei.of(17), Wei.of(1)));
        assertThat(FeePolicy.minimumReplacement(new Eip1559Fees(Wei.of(1), Wei.of(1))))
                .isEqualTo(new Eip1559Fees(Wei.of(2), Wei.of(2)));
    }

    @Test
    void theBumpPolicyUsesTheCapForTheUrgency() {
        Eip1559Fees old = new Eip1559Fees(Wei.gwei(95), Wei.gwei(2));
        assertThat(POLICY.bump(old, HISTORY, Urgency.NONE, CAPS)).isInstanceOf(BumpDecision.ResendUnchanged.class);
        assertThat(POLICY.bump(old, HISTORY, Urgency.ofScore(0.7), CAPS)).isInstanceOf(BumpDecision.Replace.class);
    }

    @Test
    void settingsAndHistoriesRefuseWhatCannotWork() {
        assertThatThrownBy(() -> new FeeSettings(25, 90, Wei.ZERO, 0.5, 1050)) // +5% bumps: geth would refuse them
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Eip1559Fees(Wei.gwei(1), Wei.gwei(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HISTORY.rewardsAt(50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeeCaps(Wei.gwei(10), Wei.gwei(5))).isInstanceOf(IllegalArgumentException.class);
        assertThat(FeeSettings.defaults().percentilesToRequest()).isEqualTo(List.of(25, 90));
    }
}
