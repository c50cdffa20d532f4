package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "router",
        aliases = "route",
        description = {
            "Allow or deny the routers keepers may swap through (owner commands).",
            "A route is a (router, function) pair. During a deleverage the vault calls nothing else, approves exactly the amount",
            "sold, and checks what came back against the oracle."
        },
        subcommands = {RouterCommand.ListRoutes.class, RouterCommand.Allow.class, RouterCommand.Deny.class},
        footer = {
            "",
            "ROUTER is uniswap-v3 (SwapRouter.exactInputSingle), uniswap-v3-02 (SwapRouter02.exactInputSingle, the V3",
            "router of Base and most L2s), uniswap-v2 (Router02.swapExactTokensForTokens), both (uniswap-v3 and",
            "uniswap-v2), all (every one of them the config or deployment file names), or an address with --selector.",
            "",
            "Examples:",
            "  unwind route list --vault 0x8acd...41ff",
            "  unwind router allow both --dev-account 2",
            "  unwind router allow uniswap-v3-02 --dev-account 2",
            "  unwind router allow 0x1111...1111 --selector 'swap(address,(address,address,address,address,uint256,uint256,uint256),bytes)' --dev-account 2",
            "  unwind router deny uniswap-v2 --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
        })
public final class RouterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "list",
            description = {
                "The routes (router and function) the vault allows, as the vault lists them on chain (at most 32); known routers",
                "are named. Without --vault: the owner's only vault (--owner, or the key options), else the config's only vault."
            },
            footer = {
                "",
                "Examples:",
                "  unwind route list --vault 0x8acd...41ff",
                "  unwind router list --dev-account 2 --json"
            })
    static final class ListRoutes implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Mixin
        ChainOptions chainOptions;

        @picocli.CommandLine.Mixin
        ShownVault shown;

        @picocli.CommandLine.Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (ChainContext chain = chainOptions.open()) {
                Address vault = shown.resolve(chain, spec.commandLine().getErr());
                chain.health(vault); // an address that is not a vault is refused with its reason
                List<JsonShapes.ListedRoute> routes = listed(chain, vault);
                var out = spec.commandLine().getOut();
                if (json.on()) {
                    Json.print(out, new JsonShapes.RoutesListed(vault.hex(), routes));
                    return ExitCodes.OK;
                }
                out.println(
                        routes.isEmpty()
                                ? "vault " + vault + " allows no route (unwind router allow)"
                                : "routes of vault " + vault + ":");
                for (JsonShapes.ListedRoute r : routes)
                    out.println(
                            "  " + r.router() + " " + r.selector() + (r.name() == null ? "" : "  (" + r.name() + ")"));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** The vault's routes as listed on chain, each named when it is a known router's function. */
    static List<JsonShapes.ListedRoute> listed(ChainContext chain, Address vault) {
        List<VaultShowCommand.Route> known = VaultShowCommand.knownRoutes(chain);
        return chain.routes(vault).stream()
                .map(r -> new JsonShapes.ListedRoute(
                        r.router().hex(),
                        "0x" + HexFormat.of().formatHex(r.selector()),
                        known.stream()
                                .filter(k -> k.router().equals(r.router())
                                        && java.util.Arrays.equals(k.selector(), r.selector()))
                                .map(VaultShowCommand.Route::name)
                                .findFirst()
                                .orElse(null)))
                .toList();
    }

    abstract static class SetRoute extends OwnerAction {
        /** What ROUTER "both" names: SwapRouter and the V2 router. */
        private static final java.util.Set<String> BOTH = java.util.Set.of("uniswap-v3", "uniswap-v2");

        @Parameters(
                paramLabel = "ROUTER",
                converter = RouterChoice.Converter.class,
                description =
                        "uniswap-v3, uniswap-v3-02, uniswap-v2, both, all, or a router address (then --selector).")
        RouterChoice router;

        @Option(
                names = "--selector",
                paramLabel = "SIG",
                converter = Selector.Converter.class,
                description = "The function: 0x and 8 hex digits, or its signature.")
        Selector selector;

        abstract boolean allow();

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            List<VaultShowCommand.Route> routes = routes(chain);
            List<TxSender.Sent> txs = new ArrayList<>();
            List<String> done = new ArrayList<>();
            for (VaultShowCommand.Route r : routes) {
                if (chain.routeAllowed(v.vault(), r.router(), r.selector()) == allow()) {
                    err().println("unwind: " + r.name() + " is " + (allow() ? "allowed" : "denied")
                            + " already; skipped");
                    continue;
                }
                txs.add(sender.sendShowing(
                        VaultCalls.setRoute(v.vault(), r.router(), r.selector(), allow()), r.name() + ", " + allow()));
                done.add(r.name() + " " + r.router() + " " + "0x"
                        + HexFormat.of().formatHex(r.selector()));
            }
            if (txs.isEmpty()) throw new UserError(ExitCodes.USAGE, "nothing to change. Nothing was sent.");
            var d = details(allow() ? "router allow" : "router deny", v.vault(), null)
                    .with(new JsonShapes.RouterExtra(List.copyOf(done)));
            return new Done(
                    (allow() ? "allowed " : "denied ") + String.join(", ", done) + " on vault " + v.vault(), txs, d);
        }

        private List<VaultShowCommand.Route> routes(ChainContext chain) {
            List<VaultShowCommand.Route> known = VaultShowCommand.knownRoutes(chain);
            if (router.address() != null) {
                if (selector == null)
                    throw Cli.usage(spec, "a router address needs --selector (the function the keeper calls on it)");
                return List.of(new VaultShowCommand.Route(router.text(), router.address(), selector.bytes()));
            }
            if (selector != null)
                throw Cli.usage(spec, "--selector goes with a router address, not with " + router.text());
            String r = router.text();
            // "both" predates SwapRouter02: it stays the original pair, and "all" takes every known route.
            List<VaultShowCommand.Route> out = known.stream()
                    .filter(k -> r.equals("all")
                            || (r.equals("both") && BOTH.contains(k.name()))
                            || k.name().equals(r))
                    .toList();
            if (out.isEmpty()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "unknown router '" + r + "': known here are "
                                + known.stream()
                                        .map(VaultShowCommand.Route::name)
                                        .toList()
                                + " (from the config or deployment file), 'both', 'all', or an address with --selector");
            }
            return out;
        }
    }

    /** The 4-byte selector of a function signature ("exactInputSingle((address,...))") or of 0x-hex. */
    static byte[] selector(String text) {
        String t = text.trim();
        if (t.matches("0x[0-9a-fA-F]{8}")) return HexFormat.of().parseHex(t.substring(2));
        if (!t.matches("[A-Za-z_][A-Za-z0-9_]*\\(.*\\)")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is neither 0x and 8 hex digits nor a "
                    + "function signature like swapExactTokensForTokens(uint256,uint256,address[],address,uint256)");
        }
        return VaultCalls.selectorOf(t);
    }

    /** --selector as typed, read by its converter (a mistake is a usage error naming the option). */
    record Selector(byte[] bytes) {
        static final class Converter implements CommandLine.ITypeConverter<Selector> {
            @Override
            public Selector convert(String value) {
                return new Selector(selector(value));
            }
        }
    }

    /**
     * ROUTER as typed: a route's name (lower-case; which names exist depends on the chain's config) or, when it starts
     * with 0x, a router address.
     */
    record RouterChoice(String text, Address address) {
        static final class Converter implements CommandLine.ITypeConverter<RouterChoice> {
            @Override
            public RouterChoice convert(String value) {
                String t = value.trim().toLowerCase(Locale.ROOT);
                return new RouterChoice(t, t.startsWith("0x") ? Converters.address(t) : null);
            }
        }
    }

    @Command(
            name = "allow",
            description = "Allow keepers to swap through a router function.",
            footer = {"", "Example:", "  unwind router allow uniswap-v3 --dev-account 2"})
    static final class Allow extends SetRoute {
        @Override
        boolean allow() {
            return true;
        }
    }

    @Command(
            name = "deny",
            description = "Stop keepers from swapping through a router function.",
            footer = {"", "Example:", "  unwind router deny uniswap-v2 --dev-account 2"})
    static final class Deny extends SetRoute {
        @Override
        boolean allow() {
            return false;
        }
    }
}
