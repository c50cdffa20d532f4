package io.unwind.domain.hedge;

import static io.unwind.domain.testing.Fixtures.DAI;
import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hedge's rules with numbers: each decision, its size against what the contract and the venue will check when it
 * lands (the hedge's target at the worst swap, the venue's LLTV before the sale adds margin, the profit), and on tokens
 * of 6, 8 and 18 decimals.
 */
@Tag("pure")
class HedgeRulesTest {
    static final Address HEDGE = Address.of("0x" + "cc".repeat(20));
    /** Full ratio, open at 74%, the hedge's own trigger 78% and target 65%, 2% slippage, 0.5% fee, no cooldown. */
    static final HedgePolicy POLICY = new HedgePolicy(10_000, 7400, 7800, 6500, 200, 50, Duration.ZERO);

    static final BigInteger LLTV = Ltv.bpsToWad(8600);

    static HedgeRules.Context danger(BigInteger topUpNeed) {
        return new HedgeRules.Context(NOW, true, "p 7% > 5%", 10, 30, topUpNeed, true);
    }

    static HedgeRules.Context calm() {
        return new HedgeRules.Context(NOW, false, "", 10, 30, BigInteger.ZERO, false);
    }

    static VaultHealth at(int ltvBps, Token collateral, Token loan, String price) {
        return vault(collateral, loan)
                .collateral("10")
                .price(price)
                .ltvBps(ltvBps)
                .build();
    }

    static HedgeState hedge(VaultHealth h, String margin, BigInteger shorted, String principal) {
        return new HedgeState(
                HEDGE,
                h.vault(),
                units(margin, h.loanToken()),
                shorted,
                BigInteger.ZERO,
                units(principal, h.loanToken()),
                POLICY,
                Instant.EPOCH,
                BigInteger.ZERO,
                LLTV);
    }

    @Test
    void inDangerUnderItsTriggerTheShortIsOpenedWithinTheTargetAtTheWorstSwapAndWithinTheVenuesLltv() {
        for (Token[] pair : new Token[][] {{WETH, USDC}, {WBTC, USDC}, {WETH, DAI}}) {
            String price = pair[0] == WBTC ? "60000" : "3000";
            VaultHealth h = at(7600, pair[0], pair[1], price);
            HedgeState s = hedge(h, "20000", BigInteger.ZERO, "20000");
            HedgeDecision d = HedgeRules.decide(s, h, danger(BigInteger.ZERO));
            assertThat(d).isInstanceOfSatisfying(HedgeDecision.Open.class, o -> {
                assertThat(o.assets()).isPositive();
                BigInteger value = Ltv.collateralValue(o.assets(), h.price());
                // Borrowed before the sale adds margin: within the venue's LLTV on the margin alone.
                assertThat(value)
                        .isLessThanOrEqualTo(
                                s.margin().multiply(BigInteger.valueOf(86)).divide(BigInteger.valueOf(100)));
                // After the sale at the worst swap the policy allows (2% slippage, the keeper's 0.1% fee): at or
                // under the hedge's target.
                BigInteger proceeds =
                        value.multiply(BigInteger.valueOf(10_000 - 200 - 10)).divide(Ltv.BPS);
                BigInteger after = value.multiply(Ltv.WAD).divide(s.margin().add(proceeds));
                assertThat(after).isLessThanOrEqualTo(Ltv.bpsToWad(6500));
                assertThat(o.why()).contains("in danger", "keeps the collateral", "An early sale");
            });
        }
    }

    @Test
    void theShortIsNeverOpenedPastTheOwnersRatioOfTheVaultsCollateral() {
        VaultHealth h = at(7600, WETH, USDC, "3000");
        HedgePolicy half = new HedgePolicy(5_000, 7400, 7800, 6500, 200, 50, Duration.ZERO);
        HedgeState s = new HedgeState(
                HEDGE,
                h.vault(),
                units("200000", USDC),
                units("4", WETH),
                BigInteger.ZERO,
                units("200000", USDC),
                half,
                Instant.EPOCH,
                BigInteger.ZERO,
                LLTV);
        HedgeDecision d = HedgeRules.decide(s, h, danger(BigInteger.ZERO));
        assertThat(d).isInstanceOfSatisfying(HedgeDecision.Open.class, o -> {
            // 5 WETH less the margin for interest, less the 4 short.
            assertThat(s.shorted().add(o.assets())).isLessThan(units("5", WETH));
            assertThat(s.shorted().add(o.assets())).isGreaterThan(units("4.97", WETH));
        });
    }

    @Test
    void noDangerOrUnderTheOpenLtvOrCoolingDownOpensNothing() {
        VaultHealth h = at(7600, WETH, USDC, "3000");
        HedgeState s = hedge(h, "20000", BigInteger.ZERO, "20000");
        assertThat(HedgeRules.decide(s, h, calm())).isInstanceOf(HedgeDecision.Hold.class);

        VaultHealth low = at(7300, WETH, USDC, "3000");
        assertThat(HedgeRules.decide(hedge(low, "20000", BigInteger.ZERO, "20000"), low, danger(BigInteger.ZERO)))
                .isInstanceOfSatisfying(
                        HedgeDecision.Hold.class, x -> assertThat(x.why()).contains("under the owner's open LTV 74%"));

        HedgePolicy slow = new HedgePolicy(10_000, 7400, 7800, 6500, 200, 50, Duration.ofMinutes(10));
        HedgeState cooling = new HedgeState(
                HEDGE,
                h.vault(),
                s.margin(),
                BigInteger.ZERO,
                BigInteger.ZERO,
                s.principal(),
                slow,
                NOW.minusSeconds(60),
                BigInteger.ZERO,
                LLTV);
        assertThat(HedgeRules.decide(cooling, h, danger(BigInteger.ZERO)))
                .isInstanceOfSatisfying(
                        HedgeDecision.Hold.class, x -> assertThat(x.why()).contains("cooling down"));
    }

    @Test
    void aHedgeAtItsOwnTriggerIsBoughtBackToItsTargetWhateverTheCooldown() {
        VaultHealth h = at(7000, WETH, USDC, "3000");
        // 5 WETH short (15,000 USDC) on 19,000 of margin: 78.9%, over the hedge's 78% trigger.
        HedgePolicy slow = new HedgePolicy(10_000, 7400, 7800, 6500, 200, 50, Duration.ofHours(1));
        HedgeState s = new HedgeState(
                HEDGE,
                h.vault(),
                units("19000", USDC),
                units("5", WETH),
                BigInteger.ZERO,
                units("10000", USDC),
                slow,
                NOW.minusSeconds(5),
                BigInteger.ZERO,
                LLTV);
        HedgeDecision d = HedgeRules.decide(s, h, calm());
        assertThat(d).isInstanceOfSatisfying(HedgeDecision.BuyBack.class, b -> {
            assertThat(b.atTrigger()).isTrue();
            assertThat(b.whole()).isFalse();
            // At the expected swap (0.3% slippage, 0.1% fee), what the buy-back spends and repays leaves the hedge at
            // or under its target.
            BigInteger spent = Ltv.divUp(
                    Ltv.collateralValue(b.assets(), h.price()).multiply(Ltv.BPS), BigInteger.valueOf(10_000 - 40));
            BigInteger after = Ltv.collateralValue(s.shorted().subtract(b.assets()), h.price())
                    .multiply(Ltv.WAD)
                    .divide(s.margin().subtract(spent));
            assertThat(after).isLessThanOrEqualTo(Ltv.bpsToWad(6500));
            assertThat(b.why()).contains("at or over its trigger 78%");
        });
    }

    @Test
    void overItsTriggerTheVaultGetsTheProfitItNeedsAndNoMoreThanKeepsTheHedgeAtItsTarget() {
        // The short of 5 WETH was opened at 3,000 (15,000 USDC of proceeds on 15,000 of margin); ETH is at 2,700.
        VaultHealth h = at(8100, WETH, USDC, "2700");
        HedgeState s = hedge(h, "30000", units("5", WETH), "15000");
        BigInteger profit = s.profit(h.price());
        assertThat(profit).isEqualTo(units("1500", USDC));

        // The top-up needs more than the profit: all of it goes, less the margin for interest.
        HedgeDecision d = HedgeRules.decide(s, h, danger(units("4000", USDC)));
        assertThat(d).isInstanceOfSatisfying(HedgeDecision.Release.class, r -> {
            assertThat(r.amount()).isEqualTo(units("1485", USDC));
            BigInteger after =
                    s.shortValue(h.price()).multiply(Ltv.WAD).divide(s.margin().subtract(r.amount()));
            assertThat(after).isLessThanOrEqualTo(Ltv.bpsToWad(6500));
            assertThat(r.why()).contains("over its trigger", "the short stays on", "A sale instead");
        });

        // It needs less: that (and a little more for the fee rule), not the whole profit.
        HedgeDecision small = HedgeRules.decide(s, h, danger(units("500", USDC)));
        assertThat(small)
                .isInstanceOfSatisfying(
                        HedgeDecision.Release.class, r -> assertThat(r.amount()).isEqualTo(units("510", USDC)));

        // A hedge at a loss releases nothing.
        HedgeState loss = hedge(h, "30000", units("5", WETH), "17000");
        assertThat(HedgeRules.decide(loss, h, danger(units("4000", USDC))))
                .isNotInstanceOf(HedgeDecision.Release.class);
    }

    @Test
    void underItsTriggerAReleaseIsMadeOnlyInTheSoftZoneAndOnlyIfItCompletesATopUp() {
        // In the soft zone (74%), in danger, the hedge full (10 WETH short on the 10 WETH vault): a release that
        // completes the top-up goes; one that does not waits for the trigger.
        VaultHealth h = vault(WETH, USDC)
                .collateral("10")
                .price("2700")
                .ltvBps(7600)
                .build()
                .withSoftTrigger(new SoftTrigger(7400, 500));
        HedgeState s = hedge(h, "60000", units("10", WETH), "27000");
        assertThat(HedgeRules.decide(s, h, danger(units("2000", USDC)))).isInstanceOf(HedgeDecision.Release.class);
        assertThat(HedgeRules.decide(s, h, danger(units("9000", USDC)))).isNotInstanceOf(HedgeDecision.Release.class);

        VaultHealth noSoft = at(7600, WETH, USDC, "2700");
        assertThat(HedgeRules.decide(
                        hedge(noSoft, "60000", units("10", WETH), "27000"), noSoft, danger(units("2000", USDC))))
                .isNotInstanceOf(HedgeDecision.Release.class);
    }

    @Test
    void aShortOverTheRatioAfterASaleIsBoughtBackToIt() {
        // The vault sold 4 of its 10 WETH: the 10 WETH short is 167% of its collateral.
        VaultHealth h =
                vault(WETH, USDC).collateral("6").price("3000").ltvBps(7000).build();
        HedgeState s = hedge(h, "60000", units("10", WETH), "30000");
        assertThat(HedgeRules.decide(s, h, danger(BigInteger.ZERO)))
                .isInstanceOfSatisfying(HedgeDecision.BuyBack.class, b -> {
                    assertThat(b.assets()).isEqualTo(units("4", WETH));
                    assertThat(b.whole()).isFalse();
                    assertThat(b.why()).contains("over the owner's ratio 100%");
                });
    }

    @Test
    void onceTheRiskHasPassedTheShortIsBoughtBackWholeButNotWhileTheMarketIsStillWild() {
        VaultHealth h = at(6900, WETH, USDC, "3000");
        HedgeState s = hedge(h, "30000", units("5", WETH), "15000");
        assertThat(HedgeRules.decide(s, h, calm())).isInstanceOfSatisfying(HedgeDecision.BuyBack.class, b -> {
            assertThat(b.whole()).isTrue();
            assertThat(b.assets()).isEqualTo(s.shorted());
            assertThat(b.why()).contains("the risk has passed");
        });
        HedgeRules.Context wild = new HedgeRules.Context(NOW, false, "", 10, 30, BigInteger.ZERO, true);
        assertThat(HedgeRules.decide(s, h, wild)).isInstanceOf(HedgeDecision.Hold.class);
        // Under the target less the band (70% - 5%): safer than any deleveraging would make it, wild or not.
        VaultHealth rallied = at(6400, WETH, USDC, "3000");
        assertThat(HedgeRules.decide(hedge(rallied, "30000", units("5", WETH), "15000"), rallied, wild))
                .isInstanceOfSatisfying(
                        HedgeDecision.BuyBack.class, b -> assertThat(b.whole()).isTrue());
        // Between the line and the open LTV: kept.
        VaultHealth between = at(7300, WETH, USDC, "3000");
        assertThat(HedgeRules.decide(hedge(between, "30000", units("5", WETH), "15000"), between, calm()))
                .isInstanceOf(HedgeDecision.Hold.class);
    }

    @Test
    void theVenueBoundsEachBuyBackByWhatItLetsGoBeforeTheRepayment() {
        VaultHealth h = at(7000, WETH, USDC, "3000");
        // 15,000 USDC short on 25,000 of margin: at most 25,000 - 15,000 / (0.86 * 0.98) may be withdrawn first.
        HedgeState s = hedge(h, "25000", units("5", WETH), "15000");
        BigInteger most = s.withdrawable(h.price());
        BigInteger left = s.margin().subtract(most);
        assertThat(s.shortValue(h.price()).multiply(Ltv.WAD).divide(left))
                .isLessThanOrEqualTo(LLTV.multiply(BigInteger.valueOf(98)).divide(BigInteger.valueOf(100)));
        assertThat(most).isGreaterThan(units("7000", USDC));
    }
}
