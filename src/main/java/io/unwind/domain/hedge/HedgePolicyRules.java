package io.unwind.domain.hedge;

import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * UnwindHedge's rules for a policy (its {@code _setPolicy}), checked before anything is sent so that the owner reads
 * which field is wrong and why rather than a revert. The figures are the ones a {@link HedgePolicy} holds, unchecked:
 * that record refuses to exist with some of these mistakes.
 */
public final class HedgePolicyRules {
    /** UnwindHedge.MAX_SLIPPAGE_BPS: beyond 10% a floor on a swap protects nothing. */
    public static final int MAX_SLIPPAGE_BPS = 1_000;
    /** UnwindHedge.MAX_FEE_BPS. */
    public static final int MAX_FEE_BPS = 100;
    /** UnwindHedge.MAX_COOLDOWN. */
    public static final Duration MAX_COOLDOWN = Duration.ofDays(1);

    private HedgePolicyRules() {}

    /**
     * What the contract would refuse in this policy, in words (empty if nothing), for a hedge whose reverse market has
     * the LLTV {@code reverseLltvWad}.
     */
    public static List<String> problems(
            int maxRatioBps,
            int openLtvBps,
            int triggerLtvBps,
            int targetLtvBps,
            int maxSlippageBps,
            int maxFeeBps,
            Duration cooldown,
            BigInteger reverseLltvWad) {
        List<String> out = new ArrayList<>();
        if (maxRatioBps > 10_000) out.add("the max ratio must be at most 100% of the vault's collateral");
        if (openLtvBps > 10_000) out.add("the open LTV must be at most 100%");
        if (targetLtvBps <= 0 || targetLtvBps >= triggerLtvBps)
            out.add("the target must be more than 0 and under the trigger (the LTV a buy-back brings the hedge to)");
        // The contract compares in WAD: trigger * 1e14 >= LLTV is refused.
        if (BigInteger.valueOf(triggerLtvBps).multiply(Ltv.BPS_TO_WAD).compareTo(reverseLltvWad) >= 0) {
            out.add("the trigger must be under the reverse market's LLTV (" + Ltv.percent(reverseLltvWad)
                    + "): at the LLTV Morpho liquidates the short before a keeper could buy it back");
        }
        if (maxSlippageBps < 0 || maxSlippageBps > MAX_SLIPPAGE_BPS) out.add("the max slippage must be at most 10%");
        if (maxFeeBps < 0 || maxFeeBps > MAX_FEE_BPS) out.add("the max keeper fee must be at most 1%");
        if (cooldown.isNegative() || cooldown.compareTo(MAX_COOLDOWN) > 0)
            out.add("the cooldown must be at most 1 day");
        return out;
    }

    /**
     * What the contract accepts but will not serve the owner well, in words: a trigger so close to the reverse market's
     * LLTV that one buy-back at it moves the hedge's LTV by less than {@link #MIN_BUYBACK_STEP_BPS}. Morpho lets a
     * buy-back withdraw only the margin the short does not need before it is repaid (98% of the LLTV, as the keeper
     * keeps under it), so each one lowers the LTV from {@code t} to {@code (t - w) / (1 - w)} at most, with {@code w =
     * 1 - t / (0.98 LLTV)}: a fast rally can outrun the buy-backs.
     */
    public static List<String> warnings(HedgePolicy p, BigInteger reverseLltvWad) {
        List<String> out = new ArrayList<>();
        double lltv = Ltv.fractionAsDouble(reverseLltvWad) * HedgeState.VENUE_MARGIN_BPS / 10_000.0;
        double t = p.triggerLtvBps() / 10_000.0;
        if (lltv <= 0 || t >= lltv) return out;
        double w = 1 - t / lltv;
        double after = (t - w) / (1 - w);
        if ((t - after) * 10_000 < MIN_BUYBACK_STEP_BPS) {
            out.add(String.format(
                    java.util.Locale.ROOT,
                    "at the trigger (%.1f%%) one buy-back can lower the hedge's LTV only to %.1f%%: Morpho lets only"
                            + " %.1f%% of the margin go before the repayment, so a fast rally can take the short to the"
                            + " reverse market's LLTV (%s) faster than the keeper's buy-backs bring it back; a lower"
                            + " trigger leaves each buy-back more room",
                    t * 100,
                    after * 100,
                    w * 100,
                    Ltv.percent(reverseLltvWad)));
        }
        return out;
    }

    /** The least a buy-back at the trigger should lower the hedge's LTV by, in basis points, for no warning. */
    public static final int MIN_BUYBACK_STEP_BPS = 500;

    /** What the contract would refuse in {@code p}, for a reverse market of LLTV {@code reverseLltvWad}. */
    public static List<String> problems(HedgePolicy p, BigInteger reverseLltvWad) {
        return problems(
                p.maxRatioBps(),
                p.openLtvBps(),
                p.triggerLtvBps(),
                p.targetLtvBps(),
                p.maxSlippageBps(),
                p.maxFeeBps(),
                p.cooldown(),
                reverseLltvWad);
    }
}
