package io.unwind.domain.plan;

import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.testing.VaultEmulator;
import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An Aave vault's sale that cannot withdraw first flash-borrows its repayment, and the pool takes a premium on it that
 * the sale's proceeds must bring on top of the repayment and the keeper's fee. The keeper sizes for it, so that a route
 * delivering exactly its guaranteed minimum still passes the vault's check (VaultEmulator charges the premium as
 * AaveVault does).
 */
@Tag("pure")
class FlashPremiumTest {
    static final KeeperSettings SETTINGS = KeeperSettings.defaults();
    static final Wei GAS = Wei.gwei(10);
    static final int PREMIUM_BPS = 9; // Aave's deployment sets 0.09%
    static final VaultHealth AAVE = aave(8200, PREMIUM_BPS);

    static VaultHealth aave(int ltvBps, int premiumBps) {
        return vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .lltvBps(8250)
                .ltvBps(ltvBps)
                .protocol(LendingProtocol.AAVE_V3)
                .build()
                .withFlashPremiumBps(premiumBps);
    }

    static BigInteger atSlippage(VaultHealth h, BigInteger x, int bps) {
        return x.multiply(h.price())
                .multiply(BigInteger.valueOf(10_000 - bps))
                .divide(Ltv.PRICE_SCALE.multiply(Ltv.BPS));
    }

    /** The planner's size for {@code h}, quoted at 30 bps under the oracle (expected = guaranteed), sized. */
    static SaleOrder order(VaultHealth h) {
        BigInteger x = ((Plan.Sell)
                        ((Decision.Act) Planner.decide(h, SETTINGS, MarketConditions.calm(30, GAS), NOW)).plan())
                .collateral()
                .units();
        for (int attempt = 0; ; attempt++) {
            BigInteger q = atSlippage(h, x, 30);
            SaleAssessment a = SaleSizer.assess(h, SETTINGS, new SaleQuote(x, q, q), GAS, attempt, NOW);
            if (a instanceof SaleAssessment.Resize r) {
                x = r.collateral().units();
                continue;
            }
            assertThat(a).isInstanceOf(SaleAssessment.Ready.class);
            return ((SaleAssessment.Ready) a).order();
        }
    }

    static VaultEmulator.Outcome send(VaultHealth h, SaleOrder o) {
        return VaultEmulator.deleverage(
                h,
                o.collateral().units(),
                o.minRepaid().units(),
                o.keeperFee().units(),
                o.guaranteedProceeds().units(),
                GAS,
                NOW);
    }

    @Test
    void aFlashPathSaleBringsThePremiumTooAndPassesAtItsGuaranteedProceeds() {
        SaleOrder o = order(AAVE);

        // Selling ~40% of the collateral without repaying first would leave the position far past its threshold.
        BigInteger premium = o.required()
                .units()
                .multiply(BigInteger.valueOf(PREMIUM_BPS))
                .add(BigInteger.valueOf(5_000))
                .divide(Ltv.BPS);
        assertThat(o.flashPremium().units()).isPositive().isEqualTo(premium);
        assertThat(o.proceedsRequired().units())
                .isEqualTo(o.required().units().add(o.keeperFee().units()).add(premium))
                .isLessThanOrEqualTo(o.guaranteedProceeds().units());
        VaultEmulator.Outcome out = send(AAVE, o);
        assertThat(out.ok()).as(out.toString()).isTrue();
        assertThat(out.ltvAfter()).isEqualTo(o.predictedLtvAfter()).isLessThanOrEqualTo(Ltv.bpsToWad(7000));
    }

    @Test
    void theSameSaleSizedAsIfThereWereNoPremiumRevertsAtItsGuaranteedProceeds() {
        SaleOrder blind = order(AAVE.withFlashPremiumBps(0));
        assertThat(blind.flashPremium().isZero()).isTrue();

        VaultEmulator.Outcome out = send(AAVE, blind);

        assertThat(out.ok()).isFalse();
        assertThat(out.toString()).contains("InsufficientProceeds");
    }

    @Test
    void aSaleThatLeavesTheHealthFactorWellAboveOneWithdrawsFirstAndPaysNoPremium() {
        Snapshot s = Snapshot.of(aave(5000, PREMIUM_BPS), SETTINGS);
        BigInteger small = s.collateral().divide(BigInteger.valueOf(100));
        BigInteger required = s.debt().divide(BigInteger.TEN);
        assertThat(s.takesFlashLoan(small)).isFalse();
        assertThat(s.flashPremium(small, required)).isZero();
        // All the collateral can never be withdrawn first.
        assertThat(s.takesFlashLoan(s.collateral())).isTrue();
    }

    @Test
    void closeToTheDirectPathsEdgeTheKeeperCountsAPremiumTheVaultMayNotChargeAndItStaysInTheReserve() {
        VaultHealth h = aave(5000, PREMIUM_BPS);
        Snapshot s = Snapshot.of(h, SETTINGS);
        BigInteger required = s.debt().divide(BigInteger.TEN);
        // The largest sale the vault still takes directly (health factor >= 1.0001 with it withdrawn).
        BigInteger lo = BigInteger.ONE;
        BigInteger hi = s.collateral();
        while (hi.subtract(lo).compareTo(BigInteger.ONE) > 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (VaultEmulator.aaveFlashPremium(h, mid, required).signum() == 0) lo = mid;
            else hi = mid;
        }
        assertThat(VaultEmulator.aaveFlashPremium(h, lo, required)).isZero();
        assertThat(VaultEmulator.aaveFlashPremium(h, hi, required)).isPositive();
        // The keeper's margin is wider: at the vault's edge it already counts the premium.
        assertThat(s.flashPremium(lo, required)).isPositive();
        assertThat(s.flashPremium(hi, required)).isEqualTo(VaultEmulator.aaveFlashPremium(h, hi, required));
    }

    @Test
    void aMorphoSalePaysNoPremium() {
        VaultHealth morpho =
                vault(WETH, USDC).collateral("10").price("3000").ltvBps(8200).build();
        SaleOrder o = order(morpho);
        assertThat(o.flashPremium().isZero()).isTrue();
        assertThat(o.proceedsRequired()).isEqualTo(o.required().plus(o.keeperFee()));
    }
}
