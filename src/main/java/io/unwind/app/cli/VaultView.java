package io.unwind.app.cli;

import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;

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
        if (h.overTrigger()) return "over trigger";
        return "ok";
    }

    static JsonShapes.Vault json(VaultHealth h, Instant now) {
        return new JsonShapes.Vault(
                h.vault().hex(),
                h.owner().hex(),
                h.marketId(),
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
                h.keeperAllowed());
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
