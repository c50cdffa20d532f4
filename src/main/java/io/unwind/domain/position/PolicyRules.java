package io.unwind.domain.position;

import io.unwind.domain.money.Bps;
import io.unwind.domain.time.DurationText;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a policy before it is sent. {@code problems} are the vault's own rules (UnwindVault.setPolicy reverts on them)
 * plus the bounds below which a policy protects nothing; {@code warnings} are legal but risky choices.
 */
public final class PolicyRules {
    public record Verdict(List<String> problems, List<String> warnings) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private PolicyRules() {}

    /** @param lltvBps the market's liquidation LTV in basis points */
    public static Verdict check(Policy p, int lltvBps) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String trigger = percent(p.triggerLtvBps());
        String target = percent(p.targetLtvBps());
        String lltv = percent(lltvBps);
        if (p.targetLtvBps() == 0) problems.add("the target LTV must be more than 0%");
        if (p.targetLtvBps() >= p.triggerLtvBps()) {
            problems.add("the target LTV (" + target + ") must be below the trigger (" + trigger
                    + "): an action brings LTV down from the trigger to the target");
        }
        if (p.triggerLtvBps() >= lltvBps) {
            problems.add("the trigger (" + trigger + ") must be below the market's LLTV (" + lltv
                    + "): at the LLTV the position is liquidated");
        } else if (lltvBps - p.triggerLtvBps() < 200) {
            warnings.add("the trigger is less than 2 points below the LLTV (" + lltv
                    + "): a fast fall can cross both in one block");
        }
        if (p.bandBps() > p.targetLtvBps()) {
            problems.add("the band (" + percent(p.bandBps()) + ") must not exceed the target (" + target + ")");
        }
        String slippage = percent(p.maxSlippageBps());
        if (p.maxSlippageBps() == 0) {
            problems.add("max slippage 0% would refuse every sale: pools charge a fee, so no sale fetches the full "
                    + "oracle price; use at least 0.5%");
        } else if (p.maxSlippageBps() > Policy.MAX_SLIPPAGE_BPS) {
            problems.add("max slippage " + slippage + " is above the vault's cap of " + percent(Policy.MAX_SLIPPAGE_BPS)
                    + ": beyond it the oracle floor protects nothing");
        } else if (p.maxSlippageBps() < 50) {
            warnings.add("max slippage " + slippage + " leaves little room for pool fees and price impact: the keeper "
                    + "may find no route");
        } else if (p.maxSlippageBps() > 300) {
            warnings.add("max slippage " + slippage + " lets a sale fetch that much less than the oracle price");
        }
        String fee = percent(p.maxFeeBps());
        if (p.maxFeeBps() > Policy.MAX_FEE_BPS) {
            problems.add("max keeper fee " + fee + " is above the vault's cap of " + percent(Policy.MAX_FEE_BPS));
        } else if (p.maxFeeBps() > 100) {
            warnings.add("max keeper fee " + fee + " of the debt repaid is generous; 0.1% to 0.5% is usual");
        }
        if (p.maxSellBps() == 0 || p.maxSellBps() > Policy.BPS) {
            problems.add("max sell must be more than 0% and at most 100% of the collateral");
        }
        if (p.cooldown().compareTo(Policy.MAX_COOLDOWN) > 0) {
            problems.add("the cooldown (" + DurationText.format(p.cooldown()) + ") must be at most "
                    + Policy.MAX_COOLDOWN.toDays() + " days");
        }
        if (p.maxGasPrice().isZero()) {
            warnings.add("max gas price 0: keepers may never take a fee, so a third-party keeper has no reason to act");
        }
        return new Verdict(problems, warnings);
    }

    private static String percent(int bps) {
        return Bps.of(bps).percent();
    }
}
