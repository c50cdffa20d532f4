package io.unwind.domain.plan;

import static io.unwind.domain.testing.Fixtures.DAI;
import static io.unwind.domain.testing.Fixtures.GOLD6;
import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Token;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.testing.VaultEmulator;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class PlannerTest {
    static final KeeperSettings SETTINGS = KeeperSettings.defaults(); // 10 bps fee
    static final Wei GAS = Wei.gwei(10);
    static final MarketConditions MARKET = MarketConditions.calm(30, GAS);

    static Decision decide(VaultHealth h) {
        return Planner.decide(h, SETTINGS, MARKET, NOW);
    }

    static VaultHealth wethUsdc(int ltvBps) {
        return vault(WETH, USDC).collateral("10").price("3000").ltvBps(ltvBps).build();
    }

    @Nested
    class Holds {
        @Test
        void noDebt() {
            assertHold(decide(vault(WETH, USDC).collateral("10").price("3000").build()), HoldReason.NO_DEBT);
        }

        @Test
        void priceUnknownIsHeldAndFlagged() {
            VaultHealth h = vault(WETH, USDC).collateral("10").debt("29000").build(); // price 0: oracle reverted
            Decision.Hold hold = assertHold(decide(h), HoldReason.PRICE_UNKNOWN);
            assertThat(hold.reason().needsAttention()).isTrue();
        }

        @Test
        void policyNotSet() {
            Policy unset = new Policy(0, 0, 0, 0, 0, 0, Duration.ZERO, Wei.ZERO);
            assertHold(
                    decide(vault(WETH, USDC)
                            .collateral("10")
                            .price("3000")
                            .ltvBps(9000)
                            .policy(unset)
                            .build()),
                    HoldReason.POLICY_NOT_SET);
        }

        @Test
        void healthyJustUnderTheTrigger() {
            // 79.99% < 80%: the contract would revert BelowTrigger.
            assertHold(decide(wethUsdc(7999)), HoldReason.HEALTHY_BELOW_TRIGGER);
        }

        @Test
        void actsExactlyAtTheTrigger() {
            assertThat(decide(wethUsdc(8000))).isInstanceOf(Decision.Act.class);
        }

        @Test
        void pausedOverTheTrigger() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .paused(true)
                    .build();
            assertThat(assertHold(decide(h), HoldReason.PAUSED).reason().needsAttention())
                    .isTrue();
        }

        @Test
        void keeperNotAllowedOverTheTriggerAsksForAttentionUnderItIsHealthy() {
            // The keeper hands every vault it may not act on to the planner (a running node's test:
            // FourVaultsAlertsTest):
            // over the trigger a person must hear of it; under it there is nothing to say.
            VaultHealth over = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .keeperAllowed(false)
                    .build();
            assertThat(assertHold(decide(over), HoldReason.NOT_ALLOWED_KEEPER)
                            .reason()
                            .needsAttention())
                    .isTrue();
            VaultHealth under = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(7000)
                    .keeperAllowed(false)
                    .build();
            assertThat(assertHold(decide(under), HoldReason.HEALTHY_BELOW_TRIGGER)
                            .reason()
                            .needsAttention())
                    .isFalse();
        }

        @Test
        void coolingDownUntilLastActionPlusCooldown() {
            Policy p = withCooldown(Duration.ofHours(1));
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .policy(p)
                    .lastActionAt(NOW.minus(Duration.ofMinutes(30)))
                    .build();
            Decision.Hold hold = assertHold(decide(h), HoldReason.COOLING_DOWN);
            assertThat(hold.until()).contains(NOW.plus(Duration.ofMinutes(30)));
        }

        @Test
        void cooldownEndsAtExactlyLastActionPlusCooldown() {
            // The contract reverts only while block.timestamp < lastActionAt + cooldown.
            Policy p = withCooldown(Duration.ofHours(1));
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .policy(p)
                    .lastActionAt(NOW.minus(Duration.ofHours(1)))
                    .build();
            assertThat(decide(h)).isInstanceOf(Decision.Act.class);
        }

        @Test
        void belowMinimumSize() {
            MarketConditions m = new MarketConditions(30, 0, GAS, units("5000", USDC), Optional.empty());
            // Needs 24,600 - 0.7 x 30,000 = 3,600 USDC.
            assertHold(Planner.decide(wethUsdc(8200), SETTINGS, m, NOW), HoldReason.BELOW_MINIMUM_SIZE);
        }

        @Test
        void saleCannotHelpWhenLtvIsAboveTheSaleRateAndReserveIsEmpty() {
            // Selling at 10% slippage brings 0.9 per unit of value; at 95% LTV every sale raises LTV.
            Policy p = new Policy(9000, 8500, 500, 1000, 50, 10_000, Duration.ZERO, Wei.gwei(100));
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .lltvBps(9650)
                    .policy(p)
                    .ltvBps(9500)
                    .build();
            Decision d = Planner.decide(h, SETTINGS, MarketConditions.calm(1000, GAS), NOW);
            assertThat(assertHold(d, HoldReason.SALE_CANNOT_HELP).reason().needsAttention())
                    .isTrue();
        }
    }

    @Nested
    class TopUps {
        @Test
        void reserveCoveringTheNeedIsUsedInsteadOfASale() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .reserve("5000")
                    .build();
            Plan.TopUp t = (Plan.TopUp) act(decide(h)).plan();
            // D - t x V = 24,600 - 0.7 x 30,000 = 3,600 USDC, fee 10 bps of it.
            assertThat(t.amount().units()).isEqualTo(units("3600", USDC));
            assertThat(t.keeperFee().units()).isEqualTo(units("3.6", USDC));
            assertThat(t.coverage()).isEqualTo(Plan.Coverage.FULL);
            assertThat(t.predictedLtvAfter()).isEqualTo(Ltv.bpsToWad(7000));
            assertThat(t.deadline()).isEqualTo(NOW.plus(SETTINGS.txDeadline()));
            var out = VaultEmulator.topUp(h, t.amount().units(), t.keeperFee().units(), GAS, NOW);
            assertThat(out.error()).isNull();
            assertThat(out.ltvAfter()).isEqualTo(t.predictedLtvAfter());
        }

        @Test
        void feeGivesWayWhenTheReserveCoversOnlyTheRepayment() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .reserve("3601")
                    .build();
            Plan.TopUp t = (Plan.TopUp) act(decide(h)).plan();
            assertThat(t.amount().units()).isEqualTo(units("3600", USDC));
            assertThat(t.keeperFee().units()).isEqualTo(units("1", USDC));
            assertThat(VaultEmulator.topUp(h, t.amount().units(), t.keeperFee().units(), GAS, NOW)
                            .ok())
                    .isTrue();
        }

        @Test
        void reserveOneUnitShortIsUsedUpFirstAndLeavesTheVaultUnderItsTrigger() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .reserveUnits(units("3600", USDC).subtract(BigInteger.ONE))
                    .build();
            Plan.TopUp t = (Plan.TopUp) act(decide(h)).plan();
            assertThat(t.coverage()).isEqualTo(Plan.Coverage.RESERVE_FIRST);
            var out = VaultEmulator.topUp(h, t.amount().units(), t.keeperFee().units(), GAS, NOW);
            assertThat(out.ok()).isTrue();
            // Just over the target: under the trigger, so no sale follows.
            assertThat(out.ltvAfter()).isGreaterThan(Ltv.bpsToWad(7000)).isLessThan(Ltv.bpsToWad(7010));
            assertHold(decide(after(h, t, out)), HoldReason.HEALTHY_BELOW_TRIGGER);
        }

        /**
         * 1,000 USDC of reserve against a need of 4,500 USDC (85% to 70% of 30,000 USDC of collateral), on a calm
         * market in a 91.5% LLTV market: not urgent. The top-up leaves LTV at 81.7%, still over the trigger.
         */
        @Test
        void aReserveShortOfTheNeedIsUsedFirstAndTheSaleFollowsAtTheNextBlock() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .lltvBps(9150)
                    .ltvBps(8500)
                    .reserve("1000")
                    .build();
            Decision.Act a = act(decide(h));
            assertThat(a.urgency().level()).isEqualTo(io.unwind.domain.risk.Urgency.Level.ROUTINE);
            Plan.TopUp t = (Plan.TopUp) a.plan();
            assertThat(t.coverage()).isEqualTo(Plan.Coverage.RESERVE_FIRST);
            // Everything the reserve holds, its 10 bps fee included: 1,000 / 1.001 = 999.000999 USDC, fee 0.999 USDC.
            assertThat(t.amount().units()).isEqualTo(units("999.000999", USDC));
            assertThat(t.keeperFee().units()).isEqualTo(units("0.999", USDC));
            var out = VaultEmulator.topUp(h, t.amount().units(), t.keeperFee().units(), GAS, NOW);
            assertThat(out.ok()).isTrue();
            assertThat(out.ltvAfter())
                    .isEqualTo(t.predictedLtvAfter())
                    .isLessThan(out.ltvBefore())
                    .isGreaterThan(Ltv.bpsToWad(8000));

            // The next block, planned from the vault as the top-up left it: a sale of the rest, onto the target.
            VaultHealth next = after(h, t, out);
            assertThat(next.reserve()).isLessThan(units("0.01", USDC));
            Plan.Sell rest = assertSaleLandsOnTarget(next);
            assertThat(rest.collateral().units())
                    .as("less collateral sold than without the reserve")
                    .isLessThan(((Plan.Sell)
                                    act(decide(withReserve(h, BigInteger.ZERO))).plan())
                            .collateral()
                            .units());
        }

        @Test
        void aVaultNearLiquidationSellsForTheWholeNeedAtOnceAndKeepsItsReserve() {
            // 85.5%: more than nine tenths of the way from the 80% trigger to the 86% LLTV.
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8550)
                    .reserve("1000")
                    .build();
            Decision.Act a = act(decide(h));
            assertThat(Planner.cannotWaitABlock(a.urgency())).isTrue();
            assertThat(a.plan())
                    .as("the same sale as without a reserve")
                    .isEqualTo(act(decide(withReserve(h, BigInteger.ZERO))).plan());
            assertSaleLandsOnTarget(h);
        }

        @Test
        void aPriceFallingFastEnoughToLiquidateWithinThreeBlocksSellsAtOnce() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .reserve("1000")
                    .build();
            // 2% a block: the 4.65% margin to the LLTV goes in 2.3 blocks.
            MarketConditions falling = new MarketConditions(30, 200, GAS, BigInteger.ZERO, Optional.empty());
            Decision.Act a = act(Planner.decide(h, SETTINGS, falling, NOW));
            assertThat(a.plan()).isInstanceOf(Plan.Sell.class);
            assertThat(((Plan.Sell) a.plan()).sizing()).isInstanceOf(Sizing.Full.class);

            // 0.5% a block: liquidation 9.3 blocks away. The fee policy already reads that as critical, but a top-up
            // now
            // and a sale at the next block are in time: the reserve goes first.
            MarketConditions slower = new MarketConditions(30, 50, GAS, BigInteger.ZERO, Optional.empty());
            Decision.Act b = act(Planner.decide(h, SETTINGS, slower, NOW));
            assertThat(b.urgency().level()).isEqualTo(io.unwind.domain.risk.Urgency.Level.CRITICAL);
            assertThat(((Plan.TopUp) b.plan()).coverage()).isEqualTo(Plan.Coverage.RESERVE_FIRST);
        }

        @Test
        void aReserveCoveringLessThanATenthOfTheNeedStaysAndTheSaleGoesAtOnce() {
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .ltvBps(8200)
                    .reserve("359")
                    .build();
            assertThat(act(decide(h)).plan()).isInstanceOf(Plan.Sell.class);
            VaultHealth tenth = withReserve(h, units("360.4", USDC));
            assertThat(((Plan.TopUp) act(decide(tenth)).plan()).coverage()).isEqualTo(Plan.Coverage.RESERVE_FIRST);
        }

        /** The vault after a top-up: less debt, less reserve, the same collateral and price. */
        private static VaultHealth after(VaultHealth h, Plan.TopUp t, VaultEmulator.Outcome out) {
            return vault(h.collateralToken(), h.loanToken())
                    .collateralUnits(h.collateral())
                    .priceUnits(h.price())
                    .debtUnits(h.debt().subtract(out.repaid()))
                    .policy(h.policy())
                    .lltvBps(lltvBps(h))
                    .reserveUnits(h.reserve()
                            .subtract(t.amount().units())
                            .subtract(t.keeperFee().units()))
                    .build();
        }

        private static VaultHealth withReserve(VaultHealth h, BigInteger reserve) {
            return vault(h.collateralToken(), h.loanToken())
                    .collateralUnits(h.collateral())
                    .priceUnits(h.price())
                    .debtUnits(h.debt())
                    .policy(h.policy())
                    .lltvBps(lltvBps(h))
                    .reserveUnits(reserve)
                    .build();
        }

        private static int lltvBps(VaultHealth h) {
            return h.lltv().divide(Ltv.BPS_TO_WAD).intValueExact();
        }

        @Test
        void partialTopUpWhenNoSaleCanHelp() {
            Policy p = new Policy(9000, 8500, 500, 1000, 50, 10_000, Duration.ZERO, Wei.gwei(100));
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .lltvBps(9650)
                    .policy(p)
                    .ltvBps(9500)
                    .reserve("300")
                    .build();
            Plan.TopUp t = (Plan.TopUp) act(Planner.decide(h, SETTINGS, MarketConditions.calm(1000, GAS), NOW))
                    .plan();
            assertThat(t.coverage()).isEqualTo(Plan.Coverage.PARTIAL_RESERVE);
            assertThat(t.amount().plus(t.keeperFee()).units()).isLessThanOrEqualTo(units("300", USDC));
            var out = VaultEmulator.topUp(h, t.amount().units(), t.keeperFee().units(), GAS, NOW);
            assertThat(out.ok()).isTrue();
            assertThat(out.ltvAfter()).isLessThan(out.ltvBefore()).isGreaterThan(Ltv.bpsToWad(8500));
        }
    }

    @Nested
    class Sales {
        @Test
        void wethUsdc18over6() {
            Plan.Sell s = assertSaleLandsOnTarget(wethUsdc(8200));
            // Closed form: (24,600 - 21,000) / (0.997 / 1.001 - 0.7) = 12,162.0 USDC of value = 4.0540 WETH.
            assertThat(s.collateral().toDecimal())
                    .isBetween(new java.math.BigDecimal("4.0539"), new java.math.BigDecimal("4.0541"));
            assertThat(s.sizing()).isInstanceOf(Sizing.Full.class);
            assertThat(s.assumedSlippageBps()).isEqualTo(30);
        }

        @Test
        void wbtcUsdc8over6() {
            VaultHealth h = vault(WBTC, USDC)
                    .collateral("2")
                    .price("60000")
                    .ltvBps(8500)
                    .build();
            Plan.Sell s = assertSaleLandsOnTarget(h);
            assertThat(s.collateral().token()).isEqualTo(WBTC);
        }

        @Test
        void sixDecimalCollateralAgainstEighteenDecimalLoan() {
            VaultHealth h = vault(GOLD6, DAI)
                    .collateral("1000")
                    .price("2000")
                    .ltvBps(8100)
                    .build();
            Plan.Sell s = assertSaleLandsOnTarget(h);
            assertThat(s.expectedProceeds().token()).isEqualTo(DAI);
        }

        @Test
        void eighteenDecimalCollateralAgainstEighteenDecimalLoanAtATinyPrice() {
            Token pepe = io.unwind.domain.testing.Fixtures.token("06", "PEPE", 18);
            VaultHealth h = vault(pepe, DAI)
                    .collateral("1000000000")
                    .price("0.0000123")
                    .ltvBps(8300)
                    .build();
            assertSaleLandsOnTarget(h);
        }

        @Test
        void cappedByMaxSellIsAChunkWithAnEstimate() {
            Policy p = new Policy(8000, 7000, 500, 100, 50, 1000, Duration.ZERO, Wei.gwei(100)); // 10% per call
            VaultHealth h = vault(WETH, USDC)
                    .collateral("10")
                    .price("3000")
                    .policy(p)
                    .ltvBps(8500)
                    .build();
            Plan.Sell s = (Plan.Sell) act(decide(h)).plan();
            assertThat(s.collateral().units()).isEqualTo(units("1", WETH));
            Sizing.Chunk chunk = (Sizing.Chunk) s.sizing();
            assertThat(chunk.cappedBy()).isEqualTo(Sizing.Cap.MAX_SELL_BPS);
            // 85% -> 83.3% -> 81.5% -> 79.6%: the third chunk ends under the trigger.
            assertThat(chunk.estimatedChunks()).isEqualTo(3);
            assertThat(chunk.describe())
                    .as("in words, for the journal and the log")
                    .matches(
                            "one chunk of about 3, capped by the vault's per-call cap; one sale to the target would need \\d\\.\\d{1,5} WETH");
            assertThat(new Sizing.Full().describe()).isEqualTo("to the target");
            assertThat(chunk.collateralNeeded()).isPresent();
            assertThat(chunk.collateralNeeded().get().units()).isGreaterThan(units("4", WETH));
            assertThat(s.predictedLtvAfter()).isLessThan(s.ltvBefore()).isGreaterThan(Ltv.bpsToWad(7000));
            BigInteger proceeds = s.expectedProceeds().units();
            var quote = new SaleQuote(s.collateral().units(), proceeds, proceeds);
            var order = ((SaleAssessment.Ready) SaleSizer.assess(h, SETTINGS, quote, GAS, 0, NOW)).order();
            var out = VaultEmulator.deleverage(
                    h,
                    order.collateral().units(),
                    order.minRepaid().units(),
                    order.keeperFee().units(),
                    s.expectedProceeds().units(),
                    GAS,
                    NOW);
            assertThat(out.ok()).isTrue();
            assertThat(out.ltvAfter()).isEqualTo(s.predictedLtvAfter());
        }

        @Test
        void cappedByKnownLiquidity() {
            MarketConditions m = new MarketConditions(30, 0, GAS, BigInteger.ZERO, Optional.of(units("2", WETH)));
            Plan.Sell s = (Plan.Sell)
                    act(Planner.decide(wethUsdc(8200), SETTINGS, m, NOW)).plan();
            assertThat(s.collateral().units()).isEqualTo(units("2", WETH));
            assertThat(((Sizing.Chunk) s.sizing()).cappedBy()).isEqualTo(Sizing.Cap.LIQUIDITY);
        }

        @Test
        void noKeeperFeeWhenTheGasPriceMayExceedTheOwnersLimit() {
            MarketConditions m = MarketConditions.calm(30, Wei.gwei(101)); // policy maxGasPrice is 100 gwei
            Plan.Sell s = (Plan.Sell)
                    act(Planner.decide(wethUsdc(8200), SETTINGS, m, NOW)).plan();
            assertThat(s.expectedKeeperFee().isZero()).isTrue();
        }

        @Test
        void slippageAboveThePolicyIsClampedToIt() {
            MarketConditions rough = MarketConditions.calm(500, GAS);
            Plan.Sell s = (Plan.Sell)
                    act(Planner.decide(wethUsdc(8200), SETTINGS, rough, NOW)).plan();
            assertThat(s.assumedSlippageBps()).isEqualTo(100);
        }

        @Test
        void urgencyRisesTowardsLiquidationAndWithVolatility() {
            double atTrigger = act(decide(wethUsdc(8000))).urgency().score();
            double near = act(decide(wethUsdc(8500))).urgency().score();
            MarketConditions stormy = new MarketConditions(30, 50, GAS, BigInteger.ZERO, Optional.empty());
            double nearStormy = act(Planner.decide(wethUsdc(8500), SETTINGS, stormy, NOW))
                    .urgency()
                    .score();
            assertThat(atTrigger).isZero();
            assertThat(near).isBetween(0.8, 0.85); // (85 - 80) / (86 - 80)
            assertThat(nearStormy).isGreaterThan(near);
        }
    }

    /** Plans a sale, quotes it at exactly the assumed slippage, and checks the vault accepts it on target. */
    static Plan.Sell assertSaleLandsOnTarget(VaultHealth h) {
        Plan.Sell s = (Plan.Sell) act(decide(h)).plan();
        assertThat(s.sizing()).isInstanceOf(Sizing.Full.class);
        BigInteger proceeds = s.expectedProceeds().units();
        var quote = new SaleQuote(s.collateral().units(), proceeds, proceeds);
        var assessed = SaleSizer.assess(h, SETTINGS, quote, GAS, 0, NOW);
        assertThat(assessed).isInstanceOf(SaleAssessment.Ready.class);
        SaleOrder order = ((SaleAssessment.Ready) assessed).order();
        assertThat(order.collateral()).isEqualTo(s.collateral());
        var out = VaultEmulator.deleverage(
                h,
                order.collateral().units(),
                order.minRepaid().units(),
                order.keeperFee().units(),
                proceeds,
                GAS,
                NOW);
        assertThat(out.error()).isNull();
        assertThat(out.ltvAfter())
                .isEqualTo(order.predictedLtvAfter())
                .isGreaterThanOrEqualTo(
                        Ltv.bpsToWad(h.policy().targetLtvBps() - h.policy().bandBps()))
                .isLessThanOrEqualTo(Ltv.bpsToWad(h.policy().targetLtvBps() + SETTINGS.targetToleranceBps()));
        return s;
    }

    static Decision.Act act(Decision d) {
        assertThat(d).isInstanceOf(Decision.Act.class);
        return (Decision.Act) d;
    }

    static Decision.Hold assertHold(Decision d, HoldReason reason) {
        assertThat(d).isInstanceOf(Decision.Hold.class);
        Decision.Hold hold = (Decision.Hold) d;
        assertThat(hold.reason()).as(hold.detail()).isEqualTo(reason);
        return hold;
    }

    static Policy withCooldown(Duration cooldown) {
        Policy p = io.unwind.domain.testing.Fixtures.policy();
        return new Policy(
                p.triggerLtvBps(),
                p.targetLtvBps(),
                p.bandBps(),
                p.maxSlippageBps(),
                p.maxFeeBps(),
                p.maxSellBps(),
                cooldown,
                p.maxGasPrice());
    }
}
