package io.unwind.app.cli;

import io.unwind.domain.money.Bps;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.GuardState;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * How a vault reads to its owner: amounts with their tokens, ratios as percentages, the price, the distance to
 * liquidation.
 */
final class VaultView {
    private VaultView() {}

    static TokenAmount collateral(VaultHealth h) {
        return h.collateralToken().amount(h.collateral());
    }

    static TokenAmount debt(VaultHealth h) {
        return h.loanToken().amount(h.debt());
    }

    static TokenAmount reserve(VaultHealth h) {
        return h.loanToken().amount(h.reserve());
    }

    static TokenAmount collateralValue(VaultHealth h) {
        return h.loanToken().amount(Ltv.collateralValue(h.collateral(), h.price()));
    }

    /** Loan tokens per whole collateral token at the oracle price. */
    static BigDecimal price(VaultHealth h) {
        return new BigDecimal(h.price())
                .movePointLeft(
                        36 - h.collateralToken().decimals() + h.loanToken().decimals())
                .round(MathContext.DECIMAL64)
                .stripTrailingZeros();
    }

    /**
     * How far the collateral price may fall before the vault can be liquidated: 1 - LTV / LLTV (the same ratio the
     * keeper exports as unwind_vault_liquidation_distance). Empty without debt or price.
     */
    static java.util.Optional<BigDecimal> dropToLiquidation(VaultHealth h) {
        return h.hasDebt() ? h.liquidationDistance() : java.util.Optional.empty();
    }

    static String drop(VaultHealth h) {
        return dropToLiquidation(h).map(d -> Ltv.percent(d, RoundingMode.DOWN)).orElse("-");
    }

    static String ltv(VaultHealth h) {
        if (!h.priceKnown()) return "no price";
        return h.ltv().equals(Ltv.UINT256_MAX) ? "infinite (collateral worth nothing)" : Units.percent(h.ltv());
    }

    /** A short state word for tables: what a keeper may do now. */
    static String state(VaultHealth h) {
        if (!h.priceKnown()) return "oracle down";
        if (h.liquidatable()) return "LIQUIDATABLE";
        if (h.paused()) return "paused";
        if (!h.policy().isSet()) return "no policy";
        if (h.overTrigger() && !h.priceFresh())
            return "held: price " + priceStatus(h).replace('_', ' ');
        if (h.overTrigger()) return "over trigger";
        return "ok";
    }

    static JsonShapes.Vault json(VaultHealth h, Instant now) {
        return new JsonShapes.Vault(
                h.vault().hex(),
                h.owner().hex(),
                h.marketId(),
                h.protocol().id(),
                state(h),
                Units.json(collateral(h)),
                Units.json(debt(h)),
                Units.json(reserve(h)),
                h.priceKnown() ? price(h).toPlainString() : null,
                h.priceKnown() ? Units.fraction(h.ltv()) : null,
                Units.fraction(h.lltv()),
                dropToLiquidation(h).map(BigDecimal::toPlainString).orElse(null),
                policyJson(h.policy()),
                h.lastActionAt().getEpochSecond() == 0 ? null : h.lastActionAt().toString(),
                h.paused(),
                h.keeperAllowed(),
                guardJson(h.guard().guard()),
                priceStatus(h),
                h.guard().feedUpdatedAt().getEpochSecond() == 0
                        ? null
                        : h.guard().feedUpdatedAt().toString(),
                h.guard().windowSellLeftBps(),
                softTriggerJson(h.softTrigger()),
                maxProbabilityJson(h.softTrigger()));
    }

    /** The soft trigger as a JSON fraction ("0.76"), null when off. */
    static String softTriggerJson(SoftTrigger t) {
        return t.isSet() ? Units.fraction(t.soft().toWad()) : null;
    }

    /** The keeper's probability bound as a JSON fraction ("0.05"), null when off. */
    static String maxProbabilityJson(SoftTrigger t) {
        return t.isSet()
                ? Units.fraction(Bps.of(t.maxLiquidationProbabilityBps()).toWad())
                : null;
    }

    /** The soft trigger as the owner reads it. */
    static String[] softTriggerLine(SoftTrigger t) {
        if (!t.isSet()) return new String[] {"soft trigger", "off: keepers act only at the trigger"};
        return new String[] {
            "soft trigger",
            Units.percent(t.softTriggerLtvBps()) + "  (keepers may act early from here, when they judge liquidation "
                    + "more likely than " + Units.percent(t.maxLiquidationProbabilityBps())
                    + ", but only to the target or under)"
        };
    }

    static JsonShapes.GuardJson guardJson(Guard g) {
        return new JsonShapes.GuardJson(
                g.hasFeed() ? g.priceFeed().hex() : null,
                g.maxPriceAge().toSeconds(),
                g.maxPriceDeviationBps(),
                g.sellWindow().toSeconds(),
                g.maxWindowSellBps());
    }

    /**
     * The price guard's verdict as JSON writes it: ok, stale, deviation, feed_failed, or unknown when the lens could
     * not run the vault's checkPrice.
     */
    static String priceStatus(VaultHealth h) {
        if ((h.readFlags() & VaultHealth.READ_PRICE_CHECK_FAILED) != 0) return "unknown";
        return h.guard().priceStatus().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The guard in a few words for a table: the price check's verdict and the window's share left; "-" without one. */
    static String guardCell(VaultHealth h) {
        Guard g = h.guard().guard();
        List<String> parts = new java.util.ArrayList<>();
        if (g.hasFeed()) {
            String status = priceStatus(h);
            parts.add("price " + (status.equals("ok") ? "fresh" : status.replace('_', ' ')));
        }
        if (g.hasWindow()) parts.add(Units.percent(h.guard().windowSellLeftBps()) + " left");
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** The guard as the owner reads it: what each limit is, and where the vault stands against it now. */
    static String[][] guardLines(VaultHealth h, Instant now) {
        GuardState s = h.guard();
        Guard g = s.guard();
        String feed = g.hasFeed()
                ? g.priceFeed() + "  (max age " + Units.duration(g.maxPriceAge()) + ", max deviation "
                        + (g.maxPriceDeviationBps() == 0 ? "off" : Units.percent(g.maxPriceDeviationBps()))
                        + ")"
                : "none: keepers act on the market oracle alone (unwind guard set)";
        String price;
        if (!g.hasFeed()) price = "not checked";
        else if ((h.readFlags() & VaultHealth.READ_PRICE_CHECK_FAILED) != 0)
            price = "unknown: the vault's price check could not be read";
        else if (s.priceStatus().ok()) price = "fresh, feed updated " + Units.ago(s.feedUpdatedAt(), now);
        else
            price = s.priceStatus().name().replace('_', ' ') + ": "
                    + s.priceStatus().describe() + " (feed updated " + Units.ago(s.feedUpdatedAt(), now)
                    + "); keepers are held";
        String window = g.hasWindow()
                ? Units.percent(g.maxWindowSellBps()) + " of the collateral per " + Units.duration(g.sellWindow())
                        + ", " + Units.percent(s.windowSellLeftBps()) + " left in this window"
                : "none (only max sell and cooldown per action)";
        return new String[][] {{"price feed", feed}, {"price now", price}, {"rate limit", window}};
    }

    static JsonShapes.PolicyJson policyJson(Policy p) {
        return JsonShapes.PolicyJson.of(p);
    }

    static String[][] policyLines(Policy p) {
        if (!p.isSet()) return new String[][] {{"policy", "not set: keepers cannot act (unwind policy set)"}};
        return new String[][] {
            {"trigger LTV", Units.percent(p.triggerLtvBps()) + "  (keepers may act at or above this)"},
            {"target LTV", Units.percent(p.targetLtvBps()) + "  (an action aims here)"},
            {
                "band",
                Units.percent(p.bandBps()) + "  (an action may not leave LTV below target - band: "
                        + Units.percent(Math.max(0, p.targetLtvBps() - p.bandBps())) + ")"
            },
            {"max slippage", Units.percent(p.maxSlippageBps()) + "  (a sale must fetch the oracle price minus this)"},
            {"max keeper fee", Units.percent(p.maxFeeBps()) + " of the debt an action repays"},
            {"max sell", Units.percent(p.maxSellBps()) + " of the collateral per action"},
            {"cooldown", Units.duration(p.cooldown())},
            {"max gas price", Units.gwei(p.maxGasPrice().value()) + "  (above it the keeper gets no fee)"}
        };
    }

    static BigInteger triggerWad(VaultHealth h) {
        return h.triggerLtv();
    }
}
