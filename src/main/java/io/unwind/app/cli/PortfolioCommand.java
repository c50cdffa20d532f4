package io.unwind.app.cli;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Token;
import io.unwind.domain.portfolio.Portfolio;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "portfolio",
        description = {
            "Each owner's vaults across protocols as one book, read from the chain now.",
            "Per vault: protocol, collateral, debt, reserve, equity and how close its LTV is to its own LLTV; per asset:",
            "what the owner supplies, owes and holds of it over every vault; per quote token: collateral value, debt,",
            "reserves and equity; and the position closest to liquidation."
        },
        footer = {
            "",
            "Vaults: --owner's (from every factory of the config), else those the config watches, grouped by owner.",
            "Values are in each market's loan token at its oracle price; totals are kept per loan token.",
            "",
            "Examples:",
            "  unwind portfolio --config devnet/unwind.yaml",
            "  unwind portfolio --owner 0x7099...79c8 --json"
        })
public final class PortfolioCommand implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Option(names = "--owner", paramLabel = "ADDRESS", description = "Only this owner's vaults (from the factories).")
    Address owner;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            List<Address> list = owner != null ? chain.vaultsOf(owner) : chain.watchedVaults();
            BlockRef head = chain.head();
            var scan = chain.lensReader().read(list, head);
            List<Portfolio> books = Portfolio.byOwner(scan.vaults(), Map.of());
            if (json.on()) {
                Json.print(
                        spec.commandLine().getOut(),
                        new JsonShapes.Portfolios(
                                chain.chainId,
                                head.number(),
                                books.stream().map(PortfolioCommand::json).toList(),
                                scan.unreadable().stream()
                                        .map(u -> new JsonShapes.Unreadable(
                                                u.vault().hex(), u.reason()))
                                        .toList()));
                return ExitCodes.OK;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("chain %d, block %d%n", chain.chainId, head.number());
            if (books.isEmpty()) {
                out.println(
                        owner != null
                                ? "owner " + owner + " has no vault on the configured factories"
                                : "no vault to show: the config watches none");
            }
            for (Portfolio p : books) print(out, p);
            scan.unreadable().forEach(u -> out.printf("unreadable: %s: %s%n", u.vault(), u.reason()));
            return ExitCodes.OK;
        }
    }

    static void print(PrintWriter out, Portfolio p) {
        out.println();
        out.printf(
                "owner %s: %d vault%s on %s%n",
                p.owner(),
                p.positions().size(),
                p.positions().size() == 1 ? "" : "s",
                String.join(", ", p.protocols().stream().map(Object::toString).toList()));
        Table t = new Table(
                "VAULT", "PROTOCOL", "STATE", "COLLATERAL", "DEBT", "RESERVE", "EQUITY", "LTV", "LLTV", "OF LLTV");
        for (var pos : p.positions()) {
            VaultHealth h = pos.health();
            t.row(
                    h.vault(),
                    h.protocol(),
                    VaultView.state(h),
                    Units.amount(VaultView.collateral(h), 4),
                    Units.amount(VaultView.debt(h), 2),
                    Units.amount(VaultView.reserve(h), 2),
                    pos.equity().map(e -> signed(h.loanToken(), e)).orElse("-"),
                    VaultView.ltv(h),
                    Units.percent(h.lltv()),
                    pos.ltvToLltv().map(PortfolioCommand::percent).orElse("-"));
        }
        t.print(out);
        out.println("exposure:");
        for (var a : p.assets()) {
            out.printf(
                    "  %-8s supplied %s, owed %s, in reserves %s: net %s%n",
                    a.token().symbol(),
                    Units.amount(a.token().amount(a.collateral()), 4),
                    Units.amount(a.token().amount(a.debt()), 2),
                    Units.amount(a.token().amount(a.reserve()), 2),
                    signed(a.token(), a.net()));
        }
        for (var total : p.totals()) {
            Token q = total.quote();
            out.printf(
                    "total in %s: collateral %s, debt %s, reserves %s%s: equity %s%s%n",
                    q.symbol(),
                    Units.amount(q.amount(total.collateralValue()), 2),
                    Units.amount(q.amount(total.debt()), 2),
                    Units.amount(q.amount(total.reserve()), 2),
                    total.sharedReserve().signum() == 0
                            ? ""
                            : ", shared reserve " + Units.amount(q.amount(total.sharedReserve()), 2),
                    signed(q, total.equity()),
                    total.unpriced() == 0
                            ? ""
                            : " (" + total.unpriced() + " vault" + (total.unpriced() == 1 ? "" : "s")
                                    + " left out: no oracle price)");
        }
        p.worst()
                .ifPresentOrElse(
                        w -> out.printf(
                                "closest to liquidation: %s (%s), LTV %s of its LLTV %s (%s of the way)%n",
                                w.vault(),
                                w.protocol(),
                                VaultView.ltv(w.health()),
                                Units.percent(w.health().lltv()),
                                percent(w.ltvToLltv().orElseThrow())),
                        () -> out.println("no vault with debt and a known price"));
    }

    private static String signed(Token t, BigInteger units) {
        return (units.signum() < 0 ? "-" : "") + Units.amount(t.amount(units.abs()), 2);
    }

    private static String percent(BigDecimal fraction) {
        return Ltv.percent(fraction, RoundingMode.DOWN);
    }

    static JsonShapes.PortfolioJson json(Portfolio p) {
        List<JsonShapes.PortfolioVault> vaults =
                p.positions().stream().map(PortfolioCommand::json).toList();
        return new JsonShapes.PortfolioJson(
                p.owner().hex(),
                p.protocols().stream().map(x -> x.id()).toList(),
                vaults,
                p.assets().stream()
                        .map(a -> new JsonShapes.PortfolioAsset(
                                a.token().address().hex(),
                                a.token().symbol(),
                                Units.json(a.token().amount(a.collateral())),
                                Units.json(a.token().amount(a.debt())),
                                Units.json(a.token().amount(a.reserve())),
                                JsonShapes.SignedAmount.of(a.token(), a.net()),
                                a.vaults()))
                        .toList(),
                p.totals().stream()
                        .map(t -> new JsonShapes.PortfolioTotal(
                                t.quote().symbol(),
                                Units.json(t.quote().amount(t.collateralValue())),
                                Units.json(t.quote().amount(t.debt())),
                                Units.json(t.quote().amount(t.reserve())),
                                Units.json(t.quote().amount(t.sharedReserve())),
                                JsonShapes.SignedAmount.of(t.quote(), t.equity()),
                                t.vaults(),
                                t.unpriced()))
                        .toList(),
                p.worst().map(PortfolioCommand::json).orElse(null));
    }

    private static JsonShapes.PortfolioVault json(Portfolio.Position pos) {
        VaultHealth h = pos.health();
        return new JsonShapes.PortfolioVault(
                h.vault().hex(),
                h.protocol().id(),
                h.marketId(),
                VaultView.state(h),
                Units.json(VaultView.collateral(h)),
                Units.json(VaultView.debt(h)),
                Units.json(VaultView.reserve(h)),
                pos.collateralValue()
                        .map(v -> Units.json(h.loanToken().amount(v)))
                        .orElse(null),
                pos.equity()
                        .map(e -> JsonShapes.SignedAmount.of(h.loanToken(), e))
                        .orElse(null),
                h.priceKnown() ? Units.fraction(h.ltv()) : null,
                Units.fraction(h.lltv()),
                pos.ltvToLltv().map(r -> r.stripTrailingZeros().toPlainString()).orElse(null));
    }
}
