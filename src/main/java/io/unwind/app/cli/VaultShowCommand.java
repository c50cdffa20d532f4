package io.unwind.app.cli;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.VaultSetup;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "show",
        description = {
            "Everything about one vault: position, health, policy, guard (price check and rate limit), and whether the configured keeper and the known routers are allowed.",
            "Without VAULT: the owner's only vault (--owner, or the key options the owner's commands take; nothing is unlocked), else the",
            "only vault the config watches."
        },
        footer = {
            "",
            "Examples:",
            "  unwind vault show --dev-account 2",
            "  unwind vault show 0x8acd...41ff",
            "  unwind vault show --owner 0x3c44...93bc --json | jq .ltv"
        })
final class VaultShowCommand implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Mixin
    ShownVault shown;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    /** A known router and the function the keeper calls on it. */
    record Route(String name, Address router, byte[] selector) {}

    static List<Route> knownRoutes(ChainContext chain) {
        List<Route> r = new ArrayList<>();
        chain.swapRouter().ifPresent(a -> r.add(new Route("uniswap-v3", a, VaultSetup.V3_EXACT_INPUT_SINGLE)));
        chain.v2Router().ifPresent(a -> r.add(new Route("uniswap-v2", a, VaultSetup.V2_SWAP_EXACT_TOKENS)));
        chain.swapRouter02()
                .ifPresent(a -> r.add(new Route("uniswap-v3-02", a, VaultSetup.V3_ROUTER02_EXACT_INPUT_SINGLE)));
        return r;
    }

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            Address vault = shown.resolve(chain, spec.commandLine().getErr());
            VaultHealth h = chain.health(vault);
            Instant now = chain.head().timestamp();
            Map<String, Boolean> routes = new LinkedHashMap<>();
            for (Route r : knownRoutes(chain)) {
                routes.put(
                        r.name() + " " + r.router() + " 0x" + HexFormat.of().formatHex(r.selector()),
                        chain.routeAllowed(vault, r.router(), r.selector()));
            }
            var keeper = chain.keeper();
            io.unwind.domain.portfolio.PortfolioLinks links = chain.links(vault);
            io.unwind.domain.money.TokenAmount topUp = h.loanToken().amount(chain.topUpAvailable(vault));
            if (json.on()) {
                Json.print(
                        spec.commandLine().getOut(),
                        new JsonShapes.VaultShown(
                                VaultView.json(h, now),
                                keeper.map(k -> new JsonShapes.ConfiguredKeeper(k.hex(), h.keeperAllowed()))
                                        .orElse(null),
                                routes,
                                new JsonShapes.PortfolioLinksJson(
                                        links.hasSharedReserve()
                                                ? links.sharedReserve().hex()
                                                : null,
                                        Units.json(topUp),
                                        links.maxMoveBps(),
                                        links.movePeers().stream()
                                                .map(Address::hex)
                                                .sorted()
                                                .toList())));
                return ExitCodes.OK;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("vault        " + h.vault());
            out.println("owner        " + h.owner());
            out.println(
                    "market       " + h.marketId() + " (" + h.collateralToken().symbol() + " / "
                            + h.loanToken().symbol() + ", LLTV " + Units.percent(h.lltv()) + ")");
            out.println("state        " + VaultView.state(h) + (h.paused() ? " (paused: keepers cannot act)" : ""));
            out.println("collateral   " + Units.amount(VaultView.collateral(h))
                    + (h.priceKnown() ? "  (worth " + Units.amount(VaultView.collateralValue(h), 2) + ")" : ""));
            out.println("debt         " + Units.amount(VaultView.debt(h)));
            out.println("reserve      " + Units.amount(VaultView.reserve(h)) + "  (for top-ups)");
            out.println("shared       "
                    + (links.hasSharedReserve()
                            ? links.sharedReserve() + "  (a top-up can spend " + Units.amount(topUp)
                                    + " now, this reserve included)"
                            : "none  (unwind reserve shared create)"));
            out.println("moves        "
                    + (links.movePeers().isEmpty()
                            ? "none  (unwind vault move-peer)"
                            : "with "
                                    + links.movePeers().stream()
                                            .map(Address::toString)
                                            .sorted()
                                            .collect(java.util.stream.Collectors.joining(", "))
                                    + (links.maxMoveBps() == 0
                                            ? "; moves out of this vault are off (unwind vault move-cap)"
                                            : "; one move out takes at most " + Units.percent(links.maxMoveBps())
                                                    + " of its collateral")));
            out.println("price        "
                    + (h.priceKnown()
                            ? VaultView.price(h).toPlainString() + " "
                                    + h.loanToken().symbol() + " per "
                                    + h.collateralToken().symbol()
                            : "unknown: the market's oracle reverted (stale or bad feed)"));
            out.println("LTV          " + VaultView.ltv(h) + "  (price may fall " + VaultView.drop(h)
                    + " before liquidation)");
            out.println("last action  " + Units.ago(h.lastActionAt(), now));
            for (String[] line : VaultView.policyLines(h.policy())) out.printf("%-12s %s%n", line[0], line[1]);
            if (h.policy().isSet()) {
                String[] soft = VaultView.softTriggerLine(h.softTrigger());
                out.printf("%-12s %s%n", soft[0], soft[1]);
            }
            for (String[] line : VaultView.guardLines(h, now)) out.printf("%-12s %s%n", line[0], line[1]);
            keeper.ifPresent(k -> out.println("keeper       " + k
                    + (h.keeperAllowed() ? " allowed" : " NOT allowed (unwind keeper add " + k + ")")));
            routes.forEach((r, ok) -> out.println("route        " + r + (ok ? " allowed" : " not allowed")));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
