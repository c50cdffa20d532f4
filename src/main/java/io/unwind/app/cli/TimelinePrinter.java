package io.unwind.app.cli;

import io.unwind.app.node.KeeperNode;
import io.unwind.app.sim.Scenario;
import io.unwind.app.sim.SimulationReport;
import io.unwind.app.sim.SimulationRunner;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.local.MarketDeployment;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints a simulation as it runs: a row every few blocks with each vault's LTV, and a line per event. */
final class TimelinePrinter implements SimulationRunner.Listener {
    /** A fleet of hundreds of vaults would make rows hundreds of columns wide: the first few stand for it. */
    private static final int MAX_COLUMNS = 12;

    private final PrintStream out;
    private final int every;
    private List<String> names = List.of();
    private BigDecimal lastPrinted;

    TimelinePrinter(PrintStream out, int every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void setUp(Scenario s, MarketDeployment m, Map<Address, String> vaults, KeeperNode node) {
        // A scenario on several chains sets up once per chain: the columns are every chain's vaults.
        List<String> all = new ArrayList<>(names);
        vaults.values().stream().filter(n -> !all.contains(n)).forEach(all::add);
        names = List.copyOf(all.subList(0, Math.min(all.size(), MAX_COLUMNS)));
        out.printf(
                "Scenario %s: %s/%s at %s, LLTV %s%%, %d block(s) of %d s%n",
                s.name(),
                m.collateral().symbol(),
                m.loan().symbol(),
                s.market().price().toPlainString(),
                s.market().lltv().movePointRight(2).stripTrailingZeros().toPlainString(),
                s.lastBlock(),
                s.blockTime().toSeconds());
        if (s.markets().size() > 1) {
            // The price column follows the first market; the others move along their own paths (the report has each).
            out.printf("  price column: %s%n", s.markets().get(0).name());
            for (Scenario.ScenarioMarket other :
                    s.markets().subList(1, s.markets().size()))
                out.printf(
                        "  and %s: %s/%s at %s, LLTV %s%%%n",
                        other.name(),
                        other.spec().collateral().symbol(),
                        other.spec().loan().symbol(),
                        other.spec().price().toPlainString(),
                        other.spec()
                                .lltv()
                                .movePointRight(2)
                                .stripTrailingZeros()
                                .toPlainString());
        }
        vaults.forEach((a, n) -> out.printf("  %-12s %s%s%n", n, a, guardNote(s, n)));
        out.printf(
                "  keeper       %s%s%n%n",
                node.keeperAddress(),
                node.http()
                        .map(h -> "  (status page: http://127.0.0.1:" + h.port() + "/)")
                        .orElse(""));
        if (all.size() > MAX_COLUMNS)
            out.printf(
                    "LTV of the first %d of %d vaults below (the report has every one)%n%n", MAX_COLUMNS, all.size());
        StringBuilder header = new StringBuilder(String.format("%6s  %10s", "block", "price"));
        for (String n : names) header.append(String.format("  %12s", shorten(n)));
        out.println(header);
    }

    @Override
    public void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {
        if (block % every != 0 && (lastPrinted == null || price.compareTo(lastPrinted) == 0)) return;
        if (block % every != 0) return;
        lastPrinted = price;
        StringBuilder row = new StringBuilder(String.format(
                "%6d  %10s", block, price.setScale(2, RoundingMode.HALF_UP).toPlainString()));
        for (String n : names) {
            BigDecimal ltv = ltvs.get(n);
            row.append(String.format("  %12s", ltv == null ? "-" : pct(ltv)));
        }
        out.println(row);
    }

    @Override
    public void event(long block, String text) {
        out.printf("%6d  >> %s%n", block, text);
    }

    /** "block 12: 38 vaults deleveraged this block, 110 waiting", among the events of its block. */
    @Override
    public void fleet(long block, int deleveraged, int waiting) {
        out.printf(
                "%6d  >> block %d: %d vault%s deleveraged this block, %d waiting%n",
                block, block, deleveraged, deleveraged == 1 ? "" : "s", waiting);
    }

    void summary(SimulationReport r) {
        out.println();
        if (r.error() != null) out.println("The run stopped early: " + r.error());
        out.println("Result after " + r.blocks() + " blocks:");
        for (SimulationReport.Vault v : r.vaults()) {
            out.printf(
                    "  %-12s %-11s %s, max LTV %s, final LTV %s, equity %s -> %s %s, %d action(s)%s%n",
                    v.name(),
                    v.keeper() ? "protected" : "unprotected",
                    v.liquidated() ? "LIQUIDATED at block " + v.liquidatedAtBlock() : "alive",
                    pct(v.maxLtv()),
                    pct(v.finalLtv()),
                    v.equityStart(),
                    v.equityEnd(),
                    r.loan(),
                    v.actions().stream().filter(a -> !a.reverted()).count(),
                    v.actions().stream().anyMatch(SimulationReport.Action::reverted)
                            ? " (and "
                                    + v.actions().stream()
                                            .filter(SimulationReport.Action::reverted)
                                            .count()
                                    + " reverted)"
                            : "");
            if (!v.holds().isEmpty()) {
                StringBuilder held = new StringBuilder();
                v.holds()
                        .forEach((why, ticks) -> held.append(held.isEmpty() ? "" : ", ")
                                .append(why)
                                .append(" x")
                                .append(ticks));
                out.printf("  %-12s keeper held it (blocks): %s%n", "", held);
            }
            if (v.hedge() != null) {
                SimulationReport.Hedge h = v.hedge();
                out.printf(
                        "  %-12s hedge: margin %s, short up to %s %s (%s of the collateral), %s at the end;"
                                + " released %s, P&L %s, funding %s %s%n",
                        "",
                        h.margin(),
                        h.maxNotional(),
                        r.loan(),
                        pct(h.maxRatio()),
                        h.finalNotional(),
                        h.released(),
                        h.pnl(),
                        h.fundingCost(),
                        r.loan());
            }
        }
        boolean owners = r.portfolios().stream().anyMatch(p -> !p.owner().equals("owner"));
        if (owners) {
            for (SimulationReport.Portfolio p : r.portfolios()) {
                out.printf(
                        "  portfolio %s: %d vault(s), equity %s -> %s %s, %s%n",
                        p.owner(),
                        p.vaults().size(),
                        p.equityStart(),
                        p.equityEnd(),
                        p.quote(),
                        p.liquidated().isEmpty()
                                ? "none liquidated"
                                : "liquidated: " + String.join(", ", p.liquidated()));
            }
        }
        var rb = r.keeper().reactionBlocks();
        if (rb.samples() > 0) {
            out.printf(
                    "  keeper reaction: %s block(s) at most, %s median, from crossing the trigger to inclusion%n",
                    rb.max(), rb.p50());
        }
        var k = r.keeper();
        if (k.sends() > 0) {
            out.printf(
                    "  keeper transactions: %d sent, %d reverted, %d gas in all%s%n",
                    k.sends(),
                    k.reverted(),
                    k.gasUsed(),
                    k.gasPerProtectedVault() == null
                            ? ""
                            : ", " + k.gasPerProtectedVault() + " per protected vault that acted");
        }
    }

    /** " (guard: price fresh within 10m, ...)" for a vault whose group sets a guard, else nothing. */
    private static String guardNote(Scenario s, String vault) {
        for (Scenario.VaultGroup g : s.vaults()) {
            if (g.guard().isEmpty() || !(vault.equals(g.name()) || vault.startsWith(g.name() + "-"))) continue;
            Scenario.GuardSpec spec = g.guard().get();
            List<String> parts = new ArrayList<>();
            if (spec.marketFeed()) {
                parts.add("feed at most " + Units.duration(spec.maxPriceAge()) + " old"
                        + (spec.maxPriceDeviationBps() == 0
                                ? ""
                                : ", within " + Units.percent(spec.maxPriceDeviationBps()) + " of the oracle"));
            }
            if (spec.maxWindowSellBps() > 0) {
                parts.add("at most " + Units.percent(spec.maxWindowSellBps()) + " sold per "
                        + Units.duration(spec.sellWindow()));
            }
            return "  (guard: " + String.join("; ", parts) + ")";
        }
        return "";
    }

    private static String pct(BigDecimal f) {
        return Ltv.percent(f, RoundingMode.HALF_UP);
    }

    private static String shorten(String n) {
        return n.length() > 12 ? n.substring(0, 12) : n;
    }
}
