package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.app.config.UnwindConfig;
import io.unwind.app.node.KeeperNode;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.risk.LiquidationMap;
import io.unwind.engine.MarketMapRefresher;
import io.unwind.engine.MarketMapSettings;
import io.unwind.engine.MarketMapView;
import io.unwind.engine.MarketMaps;
import io.unwind.engine.WatchedMarkets;
import io.unwind.route.VenueDepth;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "market",
        description = "Market-wide readings of the watched Morpho markets.",
        subcommands = {MarketCommand.MapCommand.class},
        footer = {"", "Examples:", "  unwind market map", "  unwind market map --market 0x3a85...e1f4 --json"})
public final class MarketCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "map",
            description = {
                "The market's liquidation map, read from the chain now: every borrower's liquidation price (from",
                "Morpho's events and storage), the collateral that becomes liquidatable in each price step below the",
                "oracle price, and the on-chain pools' depth within each configured fall (market.map in the config)."
            },
            footer = {
                "",
                "Markets: --market, else those of the vaults the config watches.",
                "",
                "Examples:",
                "  unwind market map",
                "  unwind market map --step 0.5%% --range 20%%",
                "  unwind market map --market 0x3a85...e1f4 --json"
            })
    static final class MapCommand implements Callable<Integer> {
        private static final int BAR = 40;

        @Mixin
        ChainOptions chainOptions;

        @Option(names = "--market", paramLabel = "ID", description = "A Morpho market id (0x and 64 hex digits).")
        String market;

        @Option(
                names = "--step",
                paramLabel = "PCT",
                description = "A bucket's width, like 0.5%% (default: the config's, 1%%).")
        Converters.Bps step;

        @Option(
                names = "--range",
                paramLabel = "PCT",
                description = "How far below the price the buckets go (default: the config's, 50%%).")
        Converters.Bps range;

        @Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (market != null && !market.matches("0x[0-9a-fA-F]{64}"))
                throw Cli.usage(spec, "--market: a Morpho market id is 0x and 64 hex digits, not '" + market + "'");
            try (ChainContext chain = chainOptions.open()) {
                var cfg = chain.config.map(c -> c.market().map()).orElse(UnwindConfig.MarketMap.DEFAULTS);
                int stepBps = step != null ? step.value() : cfg.stepBps();
                int rangeBps = range != null ? range.value() : cfg.rangeBps();
                if (stepBps <= 0 || rangeBps <= 0 || rangeBps > 10_000 || rangeBps % stepBps != 0)
                    throw Cli.usage(
                            spec,
                            "--range must be a whole number of steps, at most 100% (step " + stepBps + " bps, range "
                                    + rangeBps + " bps)");
                var settings = new MarketMapSettings(
                        stepBps,
                        rangeBps,
                        cfg.depthLevelsBps(),
                        1,
                        cfg.depthPriceMoveBps(),
                        new io.unwind.chain.market.MarketBorrowers.Settings(
                                cfg.startBlock(),
                                cfg.logBlockRange(),
                                0,
                                io.unwind.chain.market.MarketBorrowers.Settings.defaults()
                                        .slotsPerCall()));
                Set<String> ids = market != null
                        ? Set.of(market.toLowerCase(Locale.ROOT))
                        : new WatchedMarkets(chain.client, chain::watchedVaults).get();
                if (ids.isEmpty())
                    throw new UserError(ExitCodes.USAGE, "no market: the config watches no vault; pass --market ID");
                var pools =
                        chain.config.map(c -> KeeperNode.pools(c, chain.client)).orElse(List.of());
                BlockRef head = chain.head();
                var refresher = new MarketMapRefresher(
                        chain.client,
                        chain.morpho(),
                        chain.tokens,
                        () -> ids,
                        pools.isEmpty() ? Optional.empty() : Optional.of(new VenueDepth(pools)),
                        settings,
                        new MarketMaps());
                List<MarketMapView> views;
                try {
                    views = refresher.refresh(head);
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCodes.USAGE, e.getMessage());
                }
                if (json.on()) {
                    json.print(new JsonShapes.MarketMapsShown(
                            chain.chainId,
                            head.number(),
                            views.stream().map(MapCommand::shown).toList()));
                    return ExitCodes.OK;
                }
                PrintWriter out = spec.commandLine().getOut();
                for (MarketMapView v : views) print(out, v);
                if (views.isEmpty()) out.println("no market map: the oracle gave no price at block " + head.number());
                return ExitCodes.OK;
            }
        }

        static void print(PrintWriter out, MarketMapView v) {
            LiquidationMap m = v.map();
            var c = m.collateralToken();
            int priceDecimals = 36 + m.loanToken().decimals() - c.decimals();
            out.printf("%s  market %s  block %d  %d borrower(s)%n", v.label(), v.marketId(), v.block(), v.borrowers());
            BigInteger max = m.buckets().stream()
                    .map(LiquidationMap.Bucket::collateral)
                    .max(BigInteger::compareTo)
                    .orElse(BigInteger.ZERO);
            out.printf(
                    "%-16s %-9s %-" + BAR + "s %16s %16s %6s%n",
                    "price (" + m.loanToken().symbol() + ")",
                    "fall",
                    "collateral liquidatable in the step",
                    c.symbol(),
                    "cumulative",
                    "count");
            out.printf(
                    "%-16s %-9s %-" + BAR + "s %16s %16s %6d   <- now: liquidatable at the current price%n",
                    price(m.price(), priceDecimals),
                    "0%",
                    "",
                    show(m.alreadyLiquidatable().collateral(), c.decimals()),
                    show(m.alreadyLiquidatable().collateral(), c.decimals()),
                    m.alreadyLiquidatable().positions());
            List<BigInteger> cumulative = m.cumulative();
            Map<Integer, BigInteger> depth = v.cascade().depth();
            for (var b : m.buckets()) {
                int filled = max.signum() == 0
                        ? 0
                        : new BigDecimal(b.collateral())
                                .multiply(BigDecimal.valueOf(BAR))
                                .divide(new BigDecimal(max), java.math.RoundingMode.CEILING)
                                .intValue();
                out.printf(
                        "%-16s %-9s %-" + BAR + "s %16s %16s %6d%n",
                        price(b.lowerPrice(), priceDecimals),
                        "-" + percent(b.lowerDropBps()),
                        "#".repeat(filled),
                        show(b.collateral(), c.decimals()),
                        show(cumulative.get(b.index()), c.decimals()),
                        b.positions());
                BigInteger d = depth.get(b.lowerDropBps());
                if (d != null) {
                    out.printf(
                            "%-16s %-9s %s%n",
                            "",
                            "",
                            "^-- pools absorb " + show(d, c.decimals()) + " " + c.symbol() + " within "
                                    + percent(b.lowerDropBps()) + ", ratio "
                                    + v.cascade()
                                            .cascadeRatio(b.lowerDropBps())
                                            .map(MapCommand::ratio)
                                            .orElse("-"));
                }
            }
            if (m.beyondRange().positions() > 0) {
                out.printf(
                        "beyond -%s: %s %s in %d position(s)%n",
                        percent(m.rangeBps()),
                        show(m.beyondRange().collateral(), c.decimals()),
                        c.symbol(),
                        m.beyondRange().positions());
            }
            out.println(v.explanation());
            out.println();
        }

        static JsonShapes.MarketMapShown shown(MarketMapView v) {
            LiquidationMap m = v.map();
            var c = m.collateralToken();
            var l = m.loanToken();
            int priceDecimals = 36 + l.decimals() - c.decimals();
            List<BigInteger> cumulative = m.cumulative();
            List<JsonShapes.LiqBucket> buckets = new ArrayList<>();
            for (var b : m.buckets()) {
                buckets.add(new JsonShapes.LiqBucket(
                        b.upperDropBps(),
                        b.lowerDropBps(),
                        b.upperFraction(),
                        b.lowerFraction(),
                        b.upperPrice().toString(),
                        b.lowerPrice().toString(),
                        JsonShapes.Amount.of(c.amount(b.collateral())),
                        JsonShapes.Amount.of(l.amount(b.debt())),
                        b.positions(),
                        JsonShapes.Amount.of(c.amount(cumulative.get(b.index())))));
            }
            List<JsonShapes.LiqLevel> levels = new ArrayList<>();
            for (var e : v.cascade().depth().entrySet()) {
                double r = v.cascade().cascadeRatio(e.getKey()).orElse(0.0);
                levels.add(new JsonShapes.LiqLevel(
                        e.getKey(),
                        e.getKey() / 10_000.0,
                        JsonShapes.Amount.of(c.amount(m.liquidatableWithin(e.getKey()))),
                        JsonShapes.Amount.of(c.amount(e.getValue())),
                        Double.isInfinite(r) ? null : r));
            }
            return new JsonShapes.MarketMapShown(
                    v.marketId(),
                    v.label(),
                    v.block(),
                    m.price().toString(),
                    new BigDecimal(m.price())
                            .movePointLeft(priceDecimals)
                            .stripTrailingZeros()
                            .toPlainString(),
                    new BigDecimal(m.lltv())
                            .movePointLeft(18)
                            .stripTrailingZeros()
                            .toPlainString(),
                    m.stepBps(),
                    m.rangeBps(),
                    v.borrowers(),
                    totals(m.alreadyLiquidatable(), m),
                    totals(m.beyondRange(), m),
                    buckets,
                    levels,
                    v.depthBlock() < 0 ? null : v.depthBlock(),
                    v.volatilityMultiplier(),
                    v.explanation());
        }

        private static JsonShapes.LiqTotals totals(LiquidationMap.Totals t, LiquidationMap m) {
            return new JsonShapes.LiqTotals(
                    JsonShapes.Amount.of(m.collateralToken().amount(t.collateral())),
                    JsonShapes.Amount.of(m.loanToken().amount(t.debt())),
                    t.positions());
        }

        private static String show(BigInteger units, int decimals) {
            return TokenAmount.displayDecimal(units, decimals).toPlainString();
        }

        private static String price(BigInteger oracle, int decimals) {
            return TokenAmount.displayDecimal(oracle, decimals).toPlainString();
        }

        private static String percent(int bps) {
            return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
        }

        private static String ratio(double r) {
            return Double.isInfinite(r) ? "no depth" : String.format(Locale.ROOT, "%.2f", r);
        }
    }
}
