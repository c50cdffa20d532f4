package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.MarketDeployment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unwind guard ...}: the owner's limits beyond the policy, which the vault enforces on keeper actions only: a
 * fresh-price guard (a Chainlink-style feed, its max age, its max deviation from the market oracle) and a rate limit on
 * sales per window.
 */
@Command(
        name = "guard",
        description = {
            "Show, set or clear the vault's guard: a fresh-price check and a rate limit on keeper sales.",
            "Keepers may act only on a fresh price, and sell at most a share of the collateral per window.",
            "The owner's own calls (repay, withdraw, policy, pause) are never blocked by it."
        },
        subcommands = {GuardCommand.Show.class, GuardCommand.Set.class, GuardCommand.Clear.class},
        footer = {
            "",
            "Examples:",
            "  unwind guard show --dev-account 2",
            "  unwind guard set --max-price-age 1h --max-deviation 2%% --dev-account 2       # the devnet market's feed",
            "  unwind guard set --feed 0x5f4e...8419 --max-price-age 1h --sell-window 1d --max-window-sell 30%% --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass",
            "  unwind guard clear --dev-account 2"
        })
public final class GuardCommand implements Runnable {
    /** A new guard's price limits when none are named: a Chainlink heartbeat is 1h on most feeds. */
    static final Duration DEFAULT_MAX_PRICE_AGE = Duration.ofHours(1);

    static final int DEFAULT_MAX_DEVIATION_BPS = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "show",
            description = {
                "The vault's guard and where the vault stands against it now: the price check's verdict (as the vault's",
                "checkPrice gives it), the feed's last update, and the share of the collateral keepers may still sell in",
                "this window.",
                "Without VAULT: the owner's only vault (--owner, or the key options the owner's commands take), else the config's only vault."
            },
            footer = {"", "Examples:", "  unwind guard show --dev-account 2", "  unwind guard show 0x8acd...41ff --json"
            })
    static final class Show implements Callable<Integer> {
        @Mixin
        ChainOptions chainOptions;

        @Mixin
        ShownVault shown;

        @Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (ChainContext chain = chainOptions.open()) {
                VaultHealth h =
                        chain.health(shown.resolve(chain, spec.commandLine().getErr()));
                Instant now = chain.head().timestamp();
                PrintWriter out = spec.commandLine().getOut();
                if (json.on()) {
                    Json.print(
                            out,
                            new JsonShapes.GuardShown(
                                    VaultView.guardJson(h.guard().guard()),
                                    h.vault().hex(),
                                    VaultView.priceStatus(h),
                                    h.guard().feedUpdatedAt().getEpochSecond() == 0
                                            ? null
                                            : h.guard().feedUpdatedAt().toString(),
                                    h.guard().windowSellLeftBps()));
                } else {
                    out.println("guard of vault " + h.vault());
                    for (String[] line : VaultView.guardLines(h, now)) out.printf("  %-12s %s%n", line[0], line[1]);
                    out.flush();
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "set",
            description = {
                "Set the vault's guard. Unnamed fields keep their current value (or the defaults below for a vault without one).",
                "Checked before anything is sent, as the vault checks it: max price age in (0, 7 days], max deviation <= 100%%,",
                "sell window <= 30 days, and a window and its share go together.",
                "Price guard: a keeper's deleverage or top-up is refused while the feed's last update is older than the max age,",
                "while the market oracle and the feed differ by more than the max deviation, or when the feed cannot be read.",
                "Rate limit: each sale counts its share of the collateral then; a window opens at the first sale after the last",
                "one ended, and a sale that would take the window's count over its share is refused, whatever the LTV after."
            },
            footer = {
                "",
                "Defaults for a new guard: max price age 1h, max deviation 2%%, no rate limit. The feed defaults to the vault's",
                "current one, and on a local chain with a deployment file to its market's feed.",
                "",
                "Examples:",
                "  unwind guard set --max-price-age 1h --dev-account 2",
                "  unwind guard set --sell-window 1d --max-window-sell 30%% --dev-account 2",
                "  unwind guard set --feed none --dev-account 2                # keep the rate limit, drop the price guard",
                "  unwind guard set --file guard.yaml --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class Set extends OwnerAction {
        private static final java.util.Set<String> KEYS =
                java.util.Set.of("feed", "maxPriceAge", "maxPriceDeviation", "sellWindow", "maxWindowSell");

        @Option(
                names = "--file",
                paramLabel = "FILE",
                description =
                        "A guard YAML file (feed, maxPriceAge, maxPriceDeviation, sellWindow, maxWindowSell); options override it.")
        Path file;

        @Option(
                names = "--feed",
                paramLabel = "ADDRESS|none",
                description =
                        "The Chainlink-style feed (latestRoundData) quoting the collateral in the loan token; none drops the price guard.")
        String feed;

        @Option(
                names = "--max-price-age",
                paramLabel = "DURATION",
                description = "Keepers are held while the feed's last update is older than this (90s, 10m, 1h).")
        Duration maxPriceAge;

        @Option(
                names = "--max-deviation",
                paramLabel = "PCT",
                description =
                        "Keepers are held while the market oracle and the feed differ by more than this; 0%% is off.")
        Converters.Bps maxDeviation;

        @Option(
                names = "--sell-window",
                paramLabel = "DURATION",
                description = "The rate limit's window (1h, 1d); 0 turns the rate limit off.")
        Duration sellWindow;

        @Option(
                names = "--max-window-sell",
                paramLabel = "PCT",
                description = "Most of the collateral keepers may sell per window, summed over its sales.")
        Converters.Bps maxWindowSell;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Guard now = v.guard().guard();
            Map<String, Object> in = new LinkedHashMap<>(); // from the file, then the options over it
            if (file != null)
                PolicyCommand.Set.readFile(file, "guard", KEYS)
                        .forEach((k, text) -> in.put(k, fromFile(file, k, text)));
            if (feed != null) in.put("feed", feedOf(feed, "--feed"));
            put(in, "maxPriceAge", maxPriceAge);
            put(in, "maxPriceDeviation", maxDeviation);
            put(in, "sellWindow", sellWindow);
            put(in, "maxWindowSell", maxWindowSell);
            Optional<Address> marketFeed = now.hasFeed() ? Optional.empty() : deploymentFeed(chain, v);
            if (in.isEmpty() && marketFeed.isEmpty())
                throw Cli.usage(spec, "nothing to set: give --feed, --max-price-age, --sell-window, ... or --file");

            Address f = (Address) in.getOrDefault("feed", now.hasFeed() ? now.priceFeed() : Address.ZERO);
            if (f.isZero() && !in.containsKey("feed") && marketFeed.isPresent()) {
                f = marketFeed.get();
                err().println("unwind: feed " + f + " (the deployment's "
                        + v.collateralToken().symbol() + "/" + v.loanToken().symbol() + " feed)");
            }
            boolean keepsFeed = now.hasFeed() && f.equals(now.priceFeed());
            Duration age = f.isZero()
                    ? (Duration) in.getOrDefault("maxPriceAge", Duration.ZERO)
                    : (Duration) in.getOrDefault("maxPriceAge", keepsFeed ? now.maxPriceAge() : DEFAULT_MAX_PRICE_AGE);
            int deviation = in.get("maxPriceDeviation") instanceof Converters.Bps b
                    ? b.value()
                    : f.isZero() ? 0 : keepsFeed ? now.maxPriceDeviationBps() : DEFAULT_MAX_DEVIATION_BPS;

            Duration window = (Duration) in.getOrDefault("sellWindow", now.sellWindow());
            int share = in.get("maxWindowSell") instanceof Converters.Bps b
                    ? b.value()
                    : window.isZero() ? 0 : now.maxWindowSellBps();
            if (!window.isZero() && share == 0 && !in.containsKey("maxWindowSell"))
                throw Cli.usage(spec, "--sell-window needs --max-window-sell (the share of the collateral per window)");
            if (window.isZero() && share != 0 && !in.containsKey("sellWindow"))
                throw Cli.usage(spec, "--max-window-sell needs --sell-window (the window it counts over)");

            Guard g = new Guard(f, age, deviation, window, share);
            Optional<String> problem = g.problem();
            if (problem.isPresent()) {
                throw new UserError(
                        ExitCodes.USAGE, "guard refused, nothing was sent:\n  - " + problem.get() + explain(g));
            }
            if (g.equals(now))
                throw new UserError(ExitCodes.USAGE, "the vault has this guard already. Nothing was sent.");
            if (!f.isZero() && !v.policy().isSet()) {
                err().println("unwind: warning: the vault has no policy yet; the guard applies once keepers may act");
            }
            TxSender.Sent t = sender.send(VaultCalls.setGuard(v.vault(), g));
            var d = details("guard set", v.vault(), null).with(new JsonShapes.GuardExtra(VaultView.guardJson(g)));
            return new Done("set the guard of vault " + v.vault() + ": " + describe(g), List.of(t), d);
        }

        /** What the vault's own message leaves out: the value that was refused, in the options' words. */
        private static String explain(Guard g) {
            return " (max price age " + Units.duration(g.maxPriceAge()) + ", max deviation "
                    + Units.percent(g.maxPriceDeviationBps()) + ", sell window " + Units.duration(g.sellWindow())
                    + ", max window sell " + Units.percent(g.maxWindowSellBps()) + ")";
        }

        private Address feedOf(String text, String where) {
            if (text.trim().equalsIgnoreCase("none")) return Address.ZERO;
            try {
                Address a = Address.of(text.trim());
                if (a.isZero()) throw Cli.usage(spec, where + ": write 'none' for no feed, not the zero address");
                return a;
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, where + ": " + e.getMessage() + " (or 'none' for no price guard)");
            }
        }

        private static void put(Map<String, Object> in, String key, Object value) {
            if (value != null) in.put(key, value);
        }

        /** The local market's feed, when the deployment file describes the vault's market. */
        private static Optional<Address> deploymentFeed(ChainContext chain, VaultHealth v) {
            return chain.deployment
                    .filter(d -> d.marketId().equalsIgnoreCase(v.marketId()))
                    .map(MarketDeployment::feed);
        }

        private Object fromFile(Path file, String key, String text) {
            try {
                return switch (key) {
                    case "feed" -> feedOf(text, file + ": feed");
                    case "maxPriceAge", "sellWindow" -> Converters.duration(text);
                    default -> Converters.bps(text);
                };
            } catch (CommandLine.TypeConversionException e) {
                throw new UserError(ExitCodes.USAGE, file + ": " + key + ": " + e.getMessage());
            }
        }
    }

    @Command(
            name = "clear",
            description = {
                "Remove the vault's guard: keepers then act on the market oracle alone, with no rate limit beyond the policy's",
                "max sell and cooldown per action."
            },
            footer = {
                "",
                "Example:",
                "  unwind guard clear --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class Clear extends OwnerAction {
        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (v.guard().guard().equals(Guard.NONE))
                throw new UserError(ExitCodes.USAGE, "vault " + v.vault() + " has no guard. Nothing was sent.");
            TxSender.Sent t = sender.send(VaultCalls.setGuard(v.vault(), Guard.NONE));
            var d = details("guard clear", v.vault(), null)
                    .with(new JsonShapes.GuardExtra(VaultView.guardJson(Guard.NONE)));
            return new Done(
                    "cleared the guard of vault " + v.vault() + ": no price check and no rate limit on keepers",
                    List.of(t),
                    d);
        }
    }

    /** One line for a guard: "feed 0x.. (max age 1h, max deviation 2%), rate limit 30% per 1d". */
    static String describe(Guard g) {
        String price = g.hasFeed()
                ? "feed " + g.priceFeed() + " (max age " + Units.duration(g.maxPriceAge()) + ", max deviation "
                        + (g.maxPriceDeviationBps() == 0 ? "off" : Units.percent(g.maxPriceDeviationBps())) + ")"
                : "no price guard";
        String window = g.hasWindow()
                ? "rate limit " + Units.percent(g.maxWindowSellBps()) + " per " + Units.duration(g.sellWindow())
                : "no rate limit";
        return price + ", " + window;
    }
}
