package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.HedgeReads;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgeState;
import io.unwind.domain.money.Token;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;

/**
 * A hedge read with the vault it protects, at the latest block, and how the commands show it: its figures in the
 * vault's tokens, valued at the vault's own oracle price (the price the hedge's checks use).
 */
record HedgeView(HedgeState state, VaultHealth vault) {
    /** Reads {@code hedge} and its vault; refuses an address that is not a hedge. */
    static HedgeView read(ChainContext chain, Address hedge) {
        HedgeState s;
        try {
            s = new HedgeReads(chain.client).read(hedge, chain.head());
        } catch (IllegalStateException e) { // a revert (ContractReverted) or an answer no hedge gives
            throw new UserError(
                    ExitCodes.USAGE,
                    hedge + " is not an UnwindHedge on chain " + chain.chainId + " (" + e.getMessage()
                            + "); check the address (`unwind hedge create` printed it)");
        }
        return new HedgeView(s, chain.health(s.vault()));
    }

    Token loan() {
        return vault.loanToken();
    }

    Token asset() {
        return vault.collateralToken();
    }

    BigInteger price() {
        return vault.price();
    }

    /** The margin the short needs at the reverse market's LLTV: withdrawing past it Morpho refuses. */
    BigInteger marginNeeded() {
        if (!state.hasShort() || state.liquidationLtvWad().signum() == 0) return BigInteger.ZERO;
        return Ltv.divUp(state.shortValue(price()).multiply(Ltv.WAD), state.liquidationLtvWad());
    }

    JsonShapes.HedgeShown json() {
        HedgeState s = state;
        BigInteger p = price();
        BigInteger ltv = s.ltv(p);
        return new JsonShapes.HedgeShown(
                s.hedge().hex(),
                s.vault().hex(),
                vault.owner().hex(),
                JsonShapes.HedgePolicyJson.of(s.policy()),
                Units.json(loan().amount(s.margin())),
                Units.json(asset().amount(s.shorted())),
                Units.json(asset().amount(s.assetHeld())),
                Units.json(loan().amount(s.shortValue(p))),
                s.ratioBps(vault.collateral()),
                Units.fraction(ltv),
                Units.fraction(s.liquidationLtvWad()),
                JsonShapes.SignedAmount.of(loan(), s.equity(p)),
                Units.json(loan().amount(s.principal())),
                JsonShapes.SignedAmount.of(loan(), s.equity(p).subtract(s.principal())),
                s.fundingRate(),
                Units.json(loan().amount(s.fundingPerYear(p))),
                s.lastActionAt().equals(Instant.EPOCH) ? null : s.lastActionAt().toString());
    }

    void print(PrintWriter out) {
        HedgeState s = state;
        BigInteger p = price();
        out.println("hedge " + s.hedge() + " of vault " + s.vault() + " (owner " + vault.owner() + ")");
        line(out, "policy", HedgePolicyOptions.describe(s.policy()));
        line(out, "margin", Units.amount(loan().amount(s.margin())));
        line(
                out,
                "short",
                Units.amount(asset().amount(s.shorted())) + ", worth "
                        + Units.amount(loan().amount(s.shortValue(p)), 2) + " at "
                        + Units.approx(VaultView.price(vault), 8) + " " + loan().symbol() + " per "
                        + asset().symbol()
                        + (s.assetHeld().signum() > 0
                                ? "; " + Units.amount(asset().amount(s.assetHeld())) + " held loose"
                                : ""));
        line(
                out,
                "ratio",
                Units.percent(s.ratioBps(vault.collateral())) + " of the vault's "
                        + Units.amount(VaultView.collateral(vault)) + " (max "
                        + Units.percent(s.policy().maxRatioBps()) + ")");
        line(
                out,
                "hedge LTV",
                Units.percent(s.ltv(p)) + " (trigger "
                        + Units.percent(s.policy().triggerLtvBps()) + ", target "
                        + Units.percent(s.policy().targetLtvBps()) + ", reverse market LLTV "
                        + Units.percent(s.liquidationLtvWad()) + ")");
        line(out, "equity", signed(s.equity(p)));
        line(out, "principal", Units.amount(loan().amount(s.principal())));
        line(out, "P&L", signed(s.equity(p).subtract(s.principal())));
        line(
                out,
                "funding",
                String.format(Locale.ROOT, "%.2f%%", s.fundingRate() * 100) + " a year, "
                        + Units.amount(loan().amount(s.fundingPerYear(p)), 2) + " a year on the short");
        line(out, "last action", Units.ago(s.lastActionAt(), Instant.now()));
        out.flush();
    }

    private String signed(BigInteger units) {
        return (units.signum() < 0 ? "-" : "") + Units.amount(loan().amount(units.abs()), 6);
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-12s %s%n", label, value);
    }
}
