package io.unwind.domain.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The checks `policy set` runs before sending: the vault's own rules, with the reason, and the risky-but-legal
 * warnings.
 */
@Tag("pure")
class PolicyRulesTest {
    private static final int LLTV = 8600;

    private static Policy policy(
            int trigger, int target, int band, int slippage, int fee, int maxSell, Duration cooldown) {
        return new Policy(trigger, target, band, slippage, fee, maxSell, cooldown, Wei.gwei(100));
    }

    private static Policy good() {
        return policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO);
    }

    @Test
    void aSensiblePolicyPassesClean() {
        PolicyRules.Verdict v = PolicyRules.check(good(), LLTV);
        assertThat(v.ok()).isTrue();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void eachRuleOfTheVaultIsRefusedWithItsReason() {
        assertThat(PolicyRules.check(policy(8000, 0, 0, 100, 50, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("target LTV must be more than 0%"));
        assertThat(PolicyRules.check(policy(8000, 8000, 500, 100, 50, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("must be below the trigger"));
        assertThat(PolicyRules.check(policy(8600, 7000, 500, 100, 50, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("below the market's LLTV (86%)"));
        assertThat(PolicyRules.check(policy(8000, 400, 500, 100, 50, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("band (5%) must not exceed the target (4%)"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 1001, 50, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("cap of 10%"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 0, 50, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("refuse every sale"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 100, 501, 10_000, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("cap of 5%"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 100, 50, 0, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("max sell"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 100, 50, 10_001, Duration.ZERO), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("max sell"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 100, 50, 10_000, Duration.ofDays(8)), LLTV)
                        .problems())
                .anyMatch(p -> p.contains("at most 7 days"));
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        PolicyRules.Verdict v = PolicyRules.check(policy(9000, 9500, 500, 2000, 900, 10_000, Duration.ZERO), LLTV);
        assertThat(v.problems()).hasSize(4);
    }

    @Test
    void legalButRiskyChoicesAreWarnings() {
        assertThat(PolicyRules.check(policy(8500, 7000, 500, 100, 50, 10_000, Duration.ZERO), LLTV)
                        .warnings())
                .anyMatch(w -> w.contains("less than 2 points below the LLTV"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 20, 50, 10_000, Duration.ZERO), LLTV)
                        .warnings())
                .anyMatch(w -> w.contains("may find no route"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 500, 50, 10_000, Duration.ZERO), LLTV)
                        .warnings())
                .anyMatch(w -> w.contains("less than the oracle price"));
        assertThat(PolicyRules.check(policy(8000, 7000, 500, 100, 200, 10_000, Duration.ZERO), LLTV)
                        .warnings())
                .anyMatch(w -> w.contains("generous"));
        assertThat(PolicyRules.check(new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.ZERO), LLTV)
                        .warnings())
                .anyMatch(w -> w.contains("never take a fee"));
        assertThat(PolicyRules.check(policy(8500, 7000, 500, 100, 50, 10_000, Duration.ZERO), LLTV)
                        .ok())
                .isTrue();
    }
}
