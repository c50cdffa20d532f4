package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.hedge.HedgePolicy;
import io.unwind.domain.hedge.HedgePolicyRules;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A hedge's policy as options (`hedge create`, `hedge policy`): each field that is given replaces the base's, and the
 * result is checked against UnwindHedge's rules before anything is sent, each mistake named.
 */
final class HedgePolicyOptions {
    @Option(
            names = "--max-ratio",
            paramLabel = "PCT",
            description = "The largest short, as a share of the vault's collateral (100%% = fully hedged).")
    Converters.Bps maxRatio;

    @Option(
            names = "--open",
            paramLabel = "PCT",
            description = "The vault's LTV at or over which a keeper may open or grow the short.")
    Converters.Bps open;

    @Option(
            names = "--trigger",
            paramLabel = "PCT",
            description = "The hedge's own LTV at or over which a keeper buys back part of the short (under the"
                    + " reverse market's LLTV).")
    Converters.Bps trigger;

    @Option(
            names = "--target",
            paramLabel = "PCT",
            description = "The hedge's LTV an open must end at or under, and a buy-back aims at (under --trigger).")
    Converters.Bps target;

    @Option(
            names = "--max-slippage",
            paramLabel = "PCT",
            description = "A hedge swap must bring at least its oracle value less this (at most 10%%; 50bps is 0.5%%).")
    Converters.Bps maxSlippage;

    @Option(
            names = "--max-fee",
            paramLabel = "PCT",
            description = "The keeper's largest fee, of a swap's oracle value (at most 1%%).")
    Converters.Bps maxFee;

    @Option(
            names = "--cooldown",
            paramLabel = "DURATION",
            description = "Time between two keeper opens or buy-backs (90s, 10m, 2h; at most 1d).")
    Duration cooldown;

    boolean anyGiven() {
        return maxRatio != null
                || open != null
                || trigger != null
                || target != null
                || maxSlippage != null
                || maxFee != null
                || cooldown != null;
    }

    /** The base with the given fields replaced, refused (exit 2, nothing sent) if the contract would refuse it. */
    HedgePolicy over(HedgePolicy base, BigInteger reverseLltvWad) {
        int ratio = maxRatio != null ? maxRatio.value() : base.maxRatioBps();
        int openBps = open != null ? open.value() : base.openLtvBps();
        int triggerBps = trigger != null ? trigger.value() : base.triggerLtvBps();
        int targetBps = target != null ? target.value() : base.targetLtvBps();
        int slippage = maxSlippage != null ? maxSlippage.value() : base.maxSlippageBps();
        int fee = maxFee != null ? maxFee.value() : base.maxFeeBps();
        Duration cool = cooldown != null ? cooldown : base.cooldown();
        return checked(ratio, openBps, triggerBps, targetBps, slippage, fee, cool, reverseLltvWad);
    }

    static HedgePolicy checked(
            int ratio,
            int open,
            int trigger,
            int target,
            int slippage,
            int fee,
            Duration cooldown,
            BigInteger reverseLltvWad) {
        List<String> problems =
                HedgePolicyRules.problems(ratio, open, trigger, target, slippage, fee, cooldown, reverseLltvWad);
        if (!problems.isEmpty()) {
            throw new UserError(
                    ExitCodes.USAGE, "hedge policy refused, nothing was sent:\n  - " + String.join("\n  - ", problems));
        }
        return new HedgePolicy(ratio, open, trigger, target, slippage, fee, cooldown);
    }

    /** The policy in words, as the commands print it. */
    static String describe(HedgePolicy p) {
        return "max ratio " + Units.percent(p.maxRatioBps()) + ", open at vault LTV " + Units.percent(p.openLtvBps())
                + ", trigger " + Units.percent(p.triggerLtvBps()) + ", target " + Units.percent(p.targetLtvBps())
                + ", max slippage " + Units.percent(p.maxSlippageBps()) + ", max fee "
                + Units.percent(p.maxFeeBps()) + ", cooldown " + Units.duration(p.cooldown());
    }
}
