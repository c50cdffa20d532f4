package io.unwind.engine;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.KeeperFeeRule;
import io.unwind.domain.plan.KeeperSettings;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The floor's arithmetic: the least repayment whose fee, as the vault computes it, pays for an action's gas. */
@Tag("pure")
class EconomicFloorMathTest {
    private static final KeeperSettings SETTINGS = KeeperSettings.defaults();
    private static final BigInteger ETH_AT_3000 = BigInteger.valueOf(3_000_000_000L); // USDC base units per 1e18 wei
    private static final VaultHealth DUST =
            vault(WETH, USDC).collateral("0.01").price("3000").ltvBps(8200).build();

    @Test
    void theMinimumIsTheLeastRepaymentWhoseFeePaysTheGas() {
        EconomicFloor f = EconomicFloor.of(DUST, SETTINGS, Set.of(), Wei.gwei(100), Wei.gwei(100), ETH_AT_3000);
        // 150,000 gas x 100 gwei = 0.015 ETH = 45 USDC.
        assertThat(f.gasCost().units()).isEqualTo(BigInteger.valueOf(45_000_000));
        assertThat(f.noFee()).isFalse();
        // The vault's fee on a repayment: repaid x bps / 10,000, rounded down (the contract's rule).
        int bps = KeeperFeeRule.feeBps(DUST.policy(), SETTINGS, Wei.gwei(100));
        BigInteger m = f.minimumRepay();
        assertThat(m.multiply(BigInteger.valueOf(bps)).divide(BigInteger.valueOf(10_000)))
                .isGreaterThanOrEqualTo(f.gasCost().units());
        assertThat(m.subtract(BigInteger.ONE).multiply(BigInteger.valueOf(bps)).divide(BigInteger.valueOf(10_000)))
                .isLessThan(f.gasCost().units());
    }

    @Test
    void aboveTheVaultsMaxGasPriceItPaysNoFeeSoNoRepaymentPays() {
        // Fixtures' policy pays a fee up to 100 gwei.
        EconomicFloor f = EconomicFloor.of(DUST, SETTINGS, Set.of(), Wei.gwei(101), Wei.gwei(60), ETH_AT_3000);
        assertThat(f.noFee()).isTrue();
        assertThat(f.explain()).contains("pays no fee", "strategy.protectAtOwnCost");
    }

    @Test
    void aVaultProtectedAtOwnCostOrGasWithNoPriceHasNoFloor() {
        EconomicFloor own =
                EconomicFloor.of(DUST, SETTINGS, Set.of(DUST.vault()), Wei.gwei(101), Wei.gwei(100), ETH_AT_3000);
        assertThat(own.noFee()).isFalse();
        assertThat(own.minimumRepay()).isZero();
        EconomicFloor unpriced =
                EconomicFloor.of(DUST, SETTINGS, Set.of(), Wei.gwei(100), Wei.gwei(100), BigInteger.ZERO);
        assertThat(unpriced.minimumRepay()).isZero();
        assertThat(unpriced.noFee()).isFalse();
    }
}
