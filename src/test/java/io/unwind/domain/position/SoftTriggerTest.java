package io.unwind.domain.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Bps;
import io.unwind.domain.money.Wei;
import io.unwind.domain.testing.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The soft trigger's values and the checks `policy soft-trigger` runs before sending: the vault's own rules. */
@Tag("pure")
class SoftTriggerTest {
    private static final Policy POLICY = new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(100));
    private static final Policy UNSET = new Policy(0, 0, 0, 0, 0, 0, Duration.ZERO, Wei.ZERO);

    @Test
    void noneIsOffAndValidWithOrWithoutAPolicy() {
        assertThat(SoftTrigger.NONE.isSet()).isFalse();
        assertThat(SoftTrigger.NONE.maxProbability()).isZero();
        assertThat(SoftTrigger.NONE.validFor(POLICY)).isTrue();
        assertThat(SoftTrigger.NONE.validFor(UNSET)).isTrue();
    }

    @Test
    void valuesReadAsBpsAndAFraction() {
        SoftTrigger t = new SoftTrigger(7600, 500);
        assertThat(t.isSet()).isTrue();
        assertThat(t.soft()).isEqualTo(Bps.of(7600));
        assertThat(t.maxProbability()).isEqualTo(0.05);
        assertThat(t.validFor(POLICY)).isTrue();
        assertThat(new SoftTrigger(7001, 1).validFor(POLICY)).isTrue();
        assertThat(new SoftTrigger(7999, 9999).validFor(POLICY)).isTrue();
    }

    @Test
    void refusesWhatTheVaultRefuses() {
        assertThat(new SoftTrigger(0, 500).problemsWith(POLICY))
                .singleElement()
                .asString()
                .contains("(--off)");
        assertThat(new SoftTrigger(7000, 500).problemsWith(POLICY))
                .singleElement()
                .asString()
                .contains("must be above the target (70%) and below the trigger (80%)");
        assertThat(new SoftTrigger(8000, 500).validFor(POLICY)).isFalse();
        assertThat(new SoftTrigger(7600, 0).problemsWith(POLICY))
                .singleElement()
                .asString()
                .contains("more than 0% and less than 100%");
        assertThat(new SoftTrigger(7600, 10_000).validFor(POLICY)).isFalse();
        assertThat(new SoftTrigger(7600, 500).problemsWith(UNSET))
                .singleElement()
                .asString()
                .contains("no policy yet");
    }

    @Test
    void healthCarriesItThroughItsWithers() {
        VaultHealth plain = Fixtures.vault(Fixtures.WETH, Fixtures.USDC)
                .collateral("10")
                .price("3000")
                .ltvBps(7800)
                .build();
        assertThat(plain.softTrigger()).isEqualTo(SoftTrigger.NONE);
        VaultHealth soft = plain.withSoftTrigger(new SoftTrigger(7600, 500));
        assertThat(soft.softTrigger()).isEqualTo(new SoftTrigger(7600, 500));
        assertThat(soft.withGuard(GuardState.NONE).softTrigger())
                .as("the guard's wither keeps it")
                .isEqualTo(new SoftTrigger(7600, 500));
        assertThat(soft.overTrigger())
                .as("the soft zone is not over the trigger")
                .isFalse();
    }
}
