package io.unwind.domain.plan;

import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.testing.VaultEmulator;
import java.math.BigInteger;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class SaleSizerTest {
    static final KeeperSettings SETTINGS = KeeperSettings.defaults(); // 10 bps fee, 50 bps oversell, 2 re-sizes
    static final Wei GAS = Wei.gwei(10);
    static final VaultHealth H =
            vault(WETH, USDC).collateral("10").price("3000").ltvBps(8200).build();
    static final BigInteger P = H.price();

    /** Proceeds of selling {@code x} at {@code bps} under the oracle price, rounded down. */
    static BigInteger atSlippage(BigInteger x, int bps) {
        return x.multiply(P).multiply(BigInteger.valueOf(10_000 - bps)).divide(Ltv.PRICE_SCALE.multiply(Ltv.BPS));
    }

    static BigInteger plannedSize() {
        return ((Plan.Sell) ((Decision.Act) Planner.decide(H, SETTINGS, MarketConditions.calm(30, GAS), NOW)).plan())
                .collateral()
                .units();
    }

    static SaleAssessment assess(BigInteger x, BigInteger expected, BigInteger guaranteed, int attempt) {
        return SaleSizer.assess(H, SETTINGS, new SaleQuote(x, expected, guaranteed), GAS, attempt, NOW);
    }

    static SaleOrder ready(SaleAssessment a) {
        assertThat(a).isInstanceOf(SaleAssessment.Ready.class);
        return ((SaleAssessment.Ready) a).order();
    }

    static VaultEmulator.Outcome send(VaultHealth h, SaleOrder o, BigInteger delivered, Wei gasPrice) {
        return VaultEmulator.deleverage(
                h, o.collateral().units(), o.minRepaid().units(), o.keeperFee().units(), delivered, gasPrice, NOW);
    }

    @Test
    void aQuoteAtTheAssumedRateIsReadyAndRepaysExactlyToTheTarget() {
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 30);
        SaleOrder o = ready(assess(x, q, q, 0));
        // minRepaid is the repayment that leaves the largest debt with LTV <= 70% on the remaining collateral.
        BigInteger valueAfter = Ltv.collateralValue(H.collateral().subtract(x), P);
        BigInteger debtAtTarget = Ltv.bpsToWad(7000).multiply(valueAfter).divide(Ltv.WAD);
        assertThat(o.minRepaid().units()).isEqualTo(H.debt().subtract(debtAtTarget));
        assertThat(o.required()).isEqualTo(o.minRepaid()); // above the floor at 30 bps < 100 bps
        assertThat(o.keeperFee().units())
                .isEqualTo(o.minRepaid().units().multiply(BigInteger.TEN).divide(Ltv.BPS));
        assertThat(o.proceedsRequired().units()).isLessThanOrEqualTo(q);
        assertThat(o.deadlineEpochSeconds())
                .isEqualTo(NOW.plus(SETTINGS.txDeadline()).getEpochSecond());
        var out = send(H, o, q, GAS);
        assertThat(out.ok()).isTrue();
        assertThat(out.ltvAfter()).isEqualTo(o.predictedLtvAfter()).isLessThanOrEqualTo(Ltv.bpsToWad(7000));
    }

    @Test
    void theGuaranteeNotTheExpectationIsWhatTheSaleIsSizedOn() {
        BigInteger x = plannedSize();
        BigInteger expected = atSlippage(x, 30);
        BigInteger guaranteed = atSlippage(x, 40); // the router's own minimum is 10 bps lower
        var a = assess(x, expected, guaranteed, 0);
        // At the guaranteed rate the planned size falls short of the target: quote a larger size.
        assertThat(a).isInstanceOf(SaleAssessment.Resize.class);
        assertThat(((SaleAssessment.Resize) a).collateral().units()).isGreaterThan(x);
        assertThat(((SaleAssessment.Resize) a).nextAttempt()).isEqualTo(1);
    }

    @Test
    void aBetterRouteIsResizedDownThenRefusedIfStillOversized() {
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 5);
        var a = assess(x, q, q, 0);
        assertThat(a).isInstanceOf(SaleAssessment.Resize.class);
        BigInteger smaller = ((SaleAssessment.Resize) a).collateral().units();
        assertThat(smaller).isLessThan(x);
        // Requoted at the smaller size with the same rate, it is accepted and lands in the band.
        BigInteger q2 = atSlippage(smaller, 5);
        SaleOrder o = ready(assess(smaller, q2, q2, 1));
        assertThat(send(H, o, q2, GAS).ok()).isTrue();
        // Out of re-sizes while still oversized: refused rather than selling more than needed.
        var last = assess(x, q, q, SETTINGS.maxResizeAttempts());
        assertThat(last).isInstanceOf(SaleAssessment.Rejected.class);
        assertThat(((SaleAssessment.Rejected) last).reason()).isEqualTo(SaleRejection.SIZE_NOT_CONVERGED);
    }

    @Test
    void aWorseRouteIsResizedUpThenTakenAsAPartialChunk() {
        // 50 bps: the sale to the target (about 12,245 USDC of value) loses ~73 USDC, within the equity allowance of
        // 81 (5,400 of equity x 150 bps).
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 50);
        var a = assess(x, q, q, 0);
        assertThat(a).isInstanceOf(SaleAssessment.Resize.class);
        assertThat(((SaleAssessment.Resize) a).collateral().units()).isGreaterThan(x);
        SaleOrder partial = ready(assess(x, q, q, SETTINGS.maxResizeAttempts()));
        assertThat(partial.sizing()).isInstanceOf(Sizing.Chunk.class);
        assertThat(((Sizing.Chunk) partial.sizing()).cappedBy()).isEqualTo(Sizing.Cap.LIQUIDITY);
        var out = send(H, partial, q, GAS);
        assertThat(out.ok()).isTrue();
        assertThat(out.ltvAfter()).isGreaterThan(Ltv.bpsToWad(7000)).isLessThan(out.ltvBefore());
    }

    @Test
    void aRouteThatWouldLoseMoreEquityThanAllowedIsResizedDownToTheEquityBound() {
        // 80 bps: the planned sale would lose ~0.9% of its value (slippage and fee), more than the 81 USDC the policy
        // lets one action take from 5,400 USDC of equity. The sizer re-quotes the largest sale that repays the vault's
        // equity floor with the fee; the vault accepts it, and it lowers LTV by more than 0.1 point.
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 80);
        BigInteger allowance = VaultEmulator.equityAllowance(H);
        assertThat(allowance).isEqualTo(units("81", USDC));
        BigInteger valueSold = Ltv.divUp(x.multiply(P), Ltv.PRICE_SCALE);
        assertThat(q).isLessThan(valueSold.subtract(allowance));
        var a = assess(x, q, q, 0);
        assertThat(a).isInstanceOf(SaleAssessment.Resize.class);
        BigInteger smaller = ((SaleAssessment.Resize) a).collateral().units();
        assertThat(smaller).isLessThan(x);
        BigInteger q2 = atSlippage(smaller, 80);
        SaleOrder o = ready(assess(smaller, q2, q2, 1));
        BigInteger equityFloor = Ltv.divUp(smaller.multiply(P), Ltv.PRICE_SCALE).subtract(allowance);
        assertThat(o.minRepaid().units()).isGreaterThanOrEqualTo(equityFloor);
        assertThat(o.required().units()).isGreaterThanOrEqualTo(equityFloor);
        assertThat(o.proceedsRequired().units()).isLessThanOrEqualTo(q2);
        assertThat(o.sizing()).isInstanceOf(Sizing.Chunk.class);
        var out = send(H, o, q2, GAS);
        assertThat(out.ok()).as(String.valueOf(out.error())).isTrue();
        assertThat(out.ltvBefore().subtract(out.ltvAfter())).isGreaterThanOrEqualTo(BigInteger.TEN.pow(15));
        // Out of re-sizes, the oversized quote is refused: the vault would revert InsufficientProceeds.
        var last = assess(x, q, q, SETTINGS.maxResizeAttempts());
        assertThat(((SaleAssessment.Rejected) last).reason()).isEqualTo(SaleRejection.BELOW_EQUITY_FLOOR);
        assertThat(send(H, withMinRepaid(x, q), q, GAS).error()).isEqualTo("InsufficientProceeds");
    }

    /** A sale of {@code x} asking only what its proceeds cover, as a keeper ignoring the equity floor would. */
    static SaleOrder withMinRepaid(BigInteger x, BigInteger q) {
        var t = USDC;
        return new SaleOrder(
                WETH.amount(x),
                t.amount(q),
                t.amount(q),
                t.amount(Ltv.oracleFloor(x, P, 100)),
                t.amount(BigInteger.ZERO),
                t.amount(BigInteger.ZERO),
                t.amount(q),
                t.amount(q),
                t.amount(q),
                H.ltv(),
                H.ltv(),
                Ltv.bpsToWad(7000),
                new Sizing.Full(),
                NOW);
    }

    @Test
    void aSaleLargerThanTheWindowHasLeftIsRefused() {
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 30);
        // 10% of the collateral left in the window: 1 WETH.
        VaultHealth limited = H.withGuard(new io.unwind.domain.position.GuardState(
                io.unwind.domain.position.Guard.NONE,
                1_000,
                io.unwind.domain.position.PriceStatus.OK,
                java.time.Instant.EPOCH));
        var a = SaleSizer.assess(limited, SETTINGS, new SaleQuote(x, q, q), GAS, 0, NOW);
        assertThat(((SaleAssessment.Rejected) a).reason()).isEqualTo(SaleRejection.ABOVE_WINDOW_LEFT);
        BigInteger one = units("1", WETH);
        BigInteger q1 = atSlippage(one, 30);
        SaleOrder o = ready(SaleSizer.assess(limited, SETTINGS, new SaleQuote(one, q1, q1), GAS, 0, NOW));
        assertThat(((Sizing.Chunk) o.sizing()).cappedBy()).isEqualTo(Sizing.Cap.RATE_LIMIT);
        assertThat(send(limited, o, q1, GAS).ok()).isTrue();
    }

    @Test
    void resizingConvergesOnARouteWithPriceImpact() {
        // A pool whose slippage grows with size: 10 bps + 1 bp per 1% of the collateral sold (about 50 bps here).
        Function<BigInteger, BigInteger> route = x -> {
            BigInteger percentSold = x.multiply(BigInteger.valueOf(100)).divide(H.collateral());
            BigInteger impactBps = BigInteger.TEN.add(percentSold);
            return x.multiply(P).multiply(Ltv.BPS.subtract(impactBps)).divide(Ltv.PRICE_SCALE.multiply(Ltv.BPS));
        };
        BigInteger x = plannedSize();
        SaleAssessment a = null;
        for (int attempt = 0; attempt <= SETTINGS.maxResizeAttempts(); attempt++) {
            BigInteger q = route.apply(x);
            a = assess(x, q, q, attempt);
            if (!(a instanceof SaleAssessment.Resize r)) break;
            x = r.collateral().units();
        }
        SaleOrder o = ready(a);
        assertThat(o.sizing()).isInstanceOf(Sizing.Full.class);
        var out = send(H, o, route.apply(o.collateral().units()), GAS);
        assertThat(out.ok()).isTrue();
        assertThat(out.ltvAfter()).isBetween(Ltv.bpsToWad(6500), Ltv.bpsToWad(7005));
    }

    @Test
    void aQuoteUnderTheOracleFloorIsRejected() {
        BigInteger x = plannedSize();
        BigInteger floor = Ltv.oracleFloor(x, P, 100);
        var below = assess(x, floor.subtract(BigInteger.ONE), floor.subtract(BigInteger.ONE), 0);
        assertThat(((SaleAssessment.Rejected) below).reason()).isEqualTo(SaleRejection.BELOW_ORACLE_FLOOR);
        var minOutBelow = assess(x, atSlippage(x, 30), floor.subtract(BigInteger.ONE), 0);
        assertThat(((SaleAssessment.Rejected) minOutBelow).reason()).isEqualTo(SaleRejection.MIN_OUT_BELOW_FLOOR);
    }

    @Test
    void aQuoteAboveTheVaultsSellCapIsRejected() {
        Policy p = new Policy(8000, 7000, 500, 100, 50, 1000, Duration.ZERO, Wei.gwei(100));
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .policy(p)
                .ltvBps(8200)
                .build();
        BigInteger x = units("1", WETH).add(BigInteger.ONE);
        var a = SaleSizer.assess(h, SETTINGS, new SaleQuote(x, atSlippage(x, 30), atSlippage(x, 30)), GAS, 0, NOW);
        assertThat(((SaleAssessment.Rejected) a).reason()).isEqualTo(SaleRejection.ABOVE_MAX_SELL);
    }

    @Test
    void atTheSellCapTheSaleIsAMaxSellChunk() {
        Policy p = new Policy(8000, 7000, 500, 100, 50, 1000, Duration.ZERO, Wei.gwei(100));
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .policy(p)
                .ltvBps(8200)
                .build();
        BigInteger x = units("1", WETH);
        BigInteger q = atSlippage(x, 30);
        var o = ((SaleAssessment.Ready) SaleSizer.assess(h, SETTINGS, new SaleQuote(x, q, q), GAS, 0, NOW)).order();
        assertThat(((Sizing.Chunk) o.sizing()).cappedBy()).isEqualTo(Sizing.Cap.MAX_SELL_BPS);
        assertThat(send(h, o, q, GAS).ok()).isTrue();
    }

    @Test
    void noFeeWhenTheFeeCapIsAboveTheOwnersGasPriceAndTheVaultAgrees() {
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 30);
        Wei high = Wei.gwei(150); // policy maxGasPrice 100 gwei
        SaleOrder o = ready(SaleSizer.assess(H, SETTINGS, new SaleQuote(x, q, q), high, 0, NOW));
        assertThat(o.keeperFee().isZero()).isTrue();
        assertThat(send(H, o, q, high).ok()).isTrue();
        // The same order with the normal fee would revert FeeTooHigh at that price.
        SaleOrder withFee = ready(assess(x, q, q, 0));
        assertThat(send(H, withFee, q, high).error()).isEqualTo("FeeTooHigh");
        assertThat(send(H, withFee.withoutKeeperFee(), q, high).ok()).isTrue();
    }

    @Test
    void theFeeIsCappedByThePolicy() {
        // Asks 5%; the policy allows 0.5%.
        KeeperSettings greedy = new KeeperSettings(500, 50, 5, 2, Duration.ofMinutes(2), 20);
        var plan = (Plan.Sell) ((Decision.Act) Planner.decide(H, greedy, MarketConditions.calm(30, GAS), NOW)).plan();
        assertThat(plan.expectedKeeperFee().units())
                .isEqualTo(plan.expectedRepaid()
                        .units()
                        .multiply(BigInteger.valueOf(50))
                        .divide(Ltv.BPS));
        BigInteger x = plan.collateral().units();
        BigInteger q = atSlippage(x, 30);
        SaleOrder o = ready(SaleSizer.assess(H, greedy, new SaleQuote(x, q, q), GAS, 0, NOW));
        assertThat(o.keeperFee().units())
                .isEqualTo(o.predictedRepaid()
                        .units()
                        .multiply(BigInteger.valueOf(50))
                        .divide(Ltv.BPS));
        assertThat(send(H, o, q, GAS).ok()).isTrue();
    }

    @Test
    void whenTheFloorIsAboveTheTargetRepaymentTheVaultRepaysTheFloorAndTheFeeTakesTheRest() {
        // 95 bps slippage and a 10 bps fee bring less per unit than the 100 bps floor: the floor decides. Reaching
        // the target then takes (24,600 - 21,000) / (0.99 - 0.7) = 12,414 USDC of value, 2.07% more than planned.
        // Losing ~1% of that (~124 USDC) needs an equity allowance above it: a reserve of 4,000 USDC brings the
        // equity to 9,400 and the allowance to 141 (without it, 81: aRouteThatWouldLoseMoreEquity...).
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("3000")
                .ltvBps(8200)
                .reserve("4000")
                .build();
        BigInteger x = plannedSize().multiply(BigInteger.valueOf(10_225)).divide(BigInteger.valueOf(10_000));
        BigInteger q = atSlippage(x, 95);
        SaleOrder o =
                ready(SaleSizer.assess(h, SETTINGS, new SaleQuote(x, q, q), GAS, SETTINGS.maxResizeAttempts(), NOW));
        assertThat(o.required()).isEqualTo(o.oracleFloor());
        assertThat(o.minRepaid().units()).isLessThanOrEqualTo(o.oracleFloor().units());
        assertThat(o.keeperFee().units()).isEqualTo(q.subtract(o.oracleFloor().units()));
        var out = send(h, o, q, GAS);
        assertThat(out.ok()).isTrue();
        assertThat(out.ltvAfter()).isLessThanOrEqualTo(Ltv.bpsToWad(7000)).isGreaterThanOrEqualTo(Ltv.bpsToWad(6500));
    }

    @Test
    void onTheLastAttemptASlightlyShortQuoteStillLandsOnTheTargetWithASmallerFee() {
        BigInteger x = plannedSize();
        BigInteger q = atSlippage(x, 33); // 3 bps worse than assumed: short of the full 10 bps fee, not of the target
        assertThat(assess(x, q, q, 0)).isInstanceOf(SaleAssessment.Resize.class);
        SaleOrder o = ready(assess(x, q, q, SETTINGS.maxResizeAttempts()));
        assertThat(o.sizing()).isInstanceOf(Sizing.Full.class);
        assertThat(o.keeperFee().units())
                .isLessThan(o.predictedRepaid().units().multiply(BigInteger.TEN).divide(Ltv.BPS))
                .isEqualTo(q.subtract(o.required().units()));
        var out = send(H, o, q, GAS);
        assertThat(out.ok()).isTrue();
        assertThat(out.ltvAfter()).isLessThanOrEqualTo(Ltv.bpsToWad(7000)).isGreaterThan(Ltv.bpsToWad(6999));
    }

    @Test
    void nothingToSellForUnderTheTrigger() {
        VaultHealth healthy =
                vault(WETH, USDC).collateral("10").price("3000").ltvBps(7900).build();
        BigInteger x = units("1", WETH);
        var quote = new SaleQuote(x, atSlippage(x, 30), atSlippage(x, 30));
        var a = SaleSizer.assess(healthy, SETTINGS, quote, GAS, 0, NOW);
        assertThat(((SaleAssessment.Rejected) a).reason()).isEqualTo(SaleRejection.NOT_TRIGGERED);
    }
}
