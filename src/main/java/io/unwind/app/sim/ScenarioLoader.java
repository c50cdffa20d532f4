package io.unwind.app.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.app.config.ConfigException;
import io.unwind.app.config.YamlNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.Policy;
import io.unwind.local.MarketSpec;
import io.unwind.local.aggregator.Misbehaviour;
import io.unwind.route.aggregator.Vendor;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a scenario file; every problem names the field ("vaults[1].ltv: must be below the LLTV 0.86"). */
public final class ScenarioLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ScenarioLoader() {}

    public static Scenario load(Path file) {
        try {
            return parse(YAML.readTree(Files.readString(file)));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("", "the scenario file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot parse " + file + " as YAML: " + firstLine(e.getMessage()));
        }
    }

    /** A scenario shipped inside the jar (the demo's), by resource name. */
    public static Scenario builtIn(String name) {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            if (in == null) throw new ConfigException("", "no built-in scenario named " + name);
            return parse(YAML.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in scenario " + name, e);
        }
    }

    public static Scenario parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new ConfigException("", "a scenario must be a YAML mapping");
        YamlNode r = new YamlNode(root, "");
        r.only(
                "name",
                "blockTime",
                "market",
                "markets",
                "prices",
                "baseFees",
                "vaults",
                "settleBlocks",
                "aggregators",
                "aggregatorFaults",
                "onChainRoutes",
                "chunking",
                "fullScanEveryBlocks",
                "feedFreezes",
                "owners");
        String name = r.req("name").text();
        Duration blockTime =
                r.opt("blockTime").map(n -> Duration.ofSeconds(n.intIn(1, 60))).orElse(Duration.ofSeconds(12));

        Optional<YamlNode> single = r.opt("market");
        Optional<YamlNode> several = r.opt("markets");
        if (single.isPresent() && several.isPresent())
            throw new ConfigException("markets", "give market (one market) or markets (several), not both");
        if (single.isEmpty() && several.isEmpty())
            throw new ConfigException("market", "is required (or markets, for several markets)");
        List<Scenario.ScenarioMarket> markets = new java.util.ArrayList<>();
        if (single.isPresent()) {
            MarketSpec spec = market(single.get(), false);
            markets.add(new Scenario.ScenarioMarket(
                    Scenario.SINGLE_MARKET, spec, prices(r.req("prices"), spec, single.get().path)));
        } else {
            Optional<YamlNode> shared = r.opt("prices");
            Set<String> marketNames = new HashSet<>();
            markets.addAll(several.get().list(n -> {
                String mName = n.req("name").text();
                if (mName.isBlank()) throw new ConfigException(n.path + ".name", "must not be empty");
                if (!marketNames.add(mName))
                    throw new ConfigException(n.path + ".name", "'" + mName + "' is used twice");
                MarketSpec spec = market(n, true);
                Optional<YamlNode> own = n.opt("prices");
                if (own.isEmpty() && shared.isEmpty())
                    throw new ConfigException(
                            n.path + ".prices",
                            "is required: this market has no prices and there is no top-level prices");
                List<Scenario.PricePoint> path =
                        own.isPresent() ? prices(own.get(), spec, n.path) : prices(shared.get(), spec, n.path);
                String chain = n.opt("chain").map(YamlNode::text).orElse("");
                if (!chain.isEmpty() && !chain.matches("[a-z0-9][a-z0-9-]{0,31}"))
                    throw new ConfigException(
                            n.path + ".chain",
                            "names a chain in lower case letters, digits and dashes, not '" + chain + "'");
                return new Scenario.ScenarioMarket(mName, spec, path, protocol(n, spec), chain);
            }));
            checkChains(markets);
            for (String chain : markets.stream()
                    .map(Scenario.ScenarioMarket::chain)
                    .distinct()
                    .toList())
                checkSharedTokens(
                        markets.stream().filter(m -> m.chain().equals(chain)).toList());
            if (markets.isEmpty()) throw new ConfigException("markets", "at least one market is needed");
            if (markets.size() > 1 && r.opt("aggregators").isPresent())
                throw new ConfigException(
                        "aggregators", "are emulated over one market: not available with several markets yet");
        }
        MarketSpec market = markets.get(0).spec();
        List<Scenario.PricePoint> prices = markets.get(0).prices();
        List<Scenario.BaseFeePoint> baseFees = r.opt("baseFees")
                .map(n -> n.list(p -> {
                    p.only("block", "gwei");
                    return new Scenario.BaseFeePoint(
                            p.req("block").intIn(0, 1_000_000), p.req("gwei").positiveDecimal());
                }))
                .orElse(List.of());

        Set<String> names = new HashSet<>();
        List<Scenario.VaultGroup> vaults = r.req("vaults").list(v -> group(v, markets, several.isPresent(), names));
        if (vaults.isEmpty()) throw new ConfigException("vaults", "at least one vault is needed");
        int settle = r.opt("settleBlocks").map(n -> n.intIn(0, 1000)).orElse(5);
        List<Vendor> aggregators =
                r.opt("aggregators").map(n -> n.list(ScenarioLoader::vendor)).orElse(List.of());
        for (int i = 0; i < aggregators.size(); i++) {
            if (aggregators.indexOf(aggregators.get(i)) != i) {
                throw new ConfigException(
                        "aggregators[" + i + "]", "'" + aggregators.get(i).id() + "' is listed twice");
            }
        }
        Map<Vendor, Misbehaviour> faults = new EnumMap<>(Vendor.class);
        JsonNode faultNode = root.get("aggregatorFaults");
        if (faultNode != null && !faultNode.isNull()) {
            if (!faultNode.isObject())
                throw new ConfigException("aggregatorFaults", "must be a mapping of aggregator to fault");
            for (var it = faultNode.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                YamlNode item = new YamlNode(faultNode.get(k), "aggregatorFaults." + k);
                Vendor v = vendor(new YamlNode(com.fasterxml.jackson.databind.node.TextNode.valueOf(k), item.path));
                if (!aggregators.contains(v)) throw new ConfigException(item.path, "'" + k + "' is not in aggregators");
                faults.put(v, fault(item));
            }
        }
        boolean onChain = r.opt("onChainRoutes").map(YamlNode::bool).orElse(true);
        if (!onChain && aggregators.isEmpty()) {
            throw new ConfigException(
                    "onChainRoutes", "with onChainRoutes: false the keeper needs aggregators to sell through");
        }
        boolean chunking = r.opt("chunking").map(YamlNode::bool).orElse(true);
        int fullScanEvery =
                r.opt("fullScanEveryBlocks").map(n -> n.intIn(1, 100)).orElse(1);
        List<Scenario.FeedFreeze> freezes = r.opt("feedFreezes")
                .map(n -> n.list(f -> {
                    f.only("from", "until");
                    long from = f.req("from").intIn(1, 1_000_000);
                    Optional<Long> until = f.opt("until").map(u -> (long) u.intIn(1, 1_000_000));
                    if (until.isPresent() && until.get() <= from)
                        throw new ConfigException(f.path + ".until", "must be after from (" + from + ")");
                    return new Scenario.FeedFreeze(from, until);
                }))
                .orElse(List.of());
        return new Scenario(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settle,
                aggregators,
                faults,
                onChain,
                chunking,
                fullScanEvery,
                freezes,
                markets,
                ownersOnOneChain(owners(root.get("owners"), vaults), vaults, markets));
    }

    /** An owner's shared reserve and moves are contracts on one chain: their vaults must be there. */
    private static Map<String, Scenario.OwnerSpec> ownersOnOneChain(
            Map<String, Scenario.OwnerSpec> owners,
            List<Scenario.VaultGroup> vaults,
            List<Scenario.ScenarioMarket> markets) {
        Map<String, String> chainOf = new java.util.HashMap<>();
        markets.forEach(m -> chainOf.put(m.name(), m.chain()));
        for (String owner : owners.keySet()) {
            List<String> chains = vaults.stream()
                    .filter(g -> g.owner().equals(owner))
                    .map(g -> chainOf.getOrDefault(g.market(), ""))
                    .distinct()
                    .toList();
            if (chains.size() > 1)
                throw new ConfigException(
                        "owners." + owner,
                        "has vaults on chains " + chains + ": a shared reserve and collateral moves are one chain's;"
                                + " give the owner's vaults on each chain to a differently named owner");
        }
        return owners;
    }

    /** The most chains a scenario plays: the local chain ids whose development keys the keeper may sign for. */
    static final int MAX_CHAINS = 2;

    /** Every market names a chain, or none does; at most {@link #MAX_CHAINS}. */
    private static void checkChains(List<Scenario.ScenarioMarket> markets) {
        long named = markets.stream().filter(m -> !m.chain().isEmpty()).count();
        if (named == 0) return;
        for (int i = 0; i < markets.size(); i++)
            if (markets.get(i).chain().isEmpty())
                throw new ConfigException(
                        "markets[" + i + "].chain", "is missing: name a chain on every market, or on none (one chain)");
        List<String> chains =
                markets.stream().map(Scenario.ScenarioMarket::chain).distinct().toList();
        if (chains.size() > MAX_CHAINS)
            throw new ConfigException(
                    "markets",
                    "name " + chains.size() + " chains " + chains + ": a scenario plays at most " + MAX_CHAINS
                            + " (each on its own anvil, with chain ids 31337 and 1337, the local ids the keeper signs for"
                            + " with development keys)");
    }

    /**
     * {@code owners:}: per named owner, a shared reserve ({@code reserve}, {@code limit}) and collateral moves
     * ({@code moveCap}, a fraction of a vault's collateral). Every owner named here must own a vault group.
     */
    private static Map<String, Scenario.OwnerSpec> owners(JsonNode node, List<Scenario.VaultGroup> vaults) {
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject()) throw new ConfigException("owners", "must be a mapping of owner names");
        YamlNode owners = new YamlNode(node, "owners");
        Map<String, Scenario.OwnerSpec> out = new java.util.LinkedHashMap<>();
        var names = node.fieldNames();
        while (names.hasNext()) {
            String owner = names.next();
            YamlNode o = owners.req(owner);
            o.only("reserve", "limit", "moveCap");
            if (vaults.stream().noneMatch(g -> g.owner().equals(owner))) {
                throw new ConfigException(o.path, "no vault group names owner '" + owner + "'");
            }
            BigDecimal reserve = o.opt("reserve")
                    .map(n -> n.text().equals("0") ? BigDecimal.ZERO : n.positiveDecimal())
                    .orElse(BigDecimal.ZERO);
            Optional<BigDecimal> limit = o.opt("limit").map(YamlNode::positiveDecimal);
            if (limit.isPresent() && reserve.signum() == 0) {
                throw new ConfigException(o.path + ".limit", "needs a reserve");
            }
            int cap = o.opt("moveCap")
                    .map(n -> {
                        BigDecimal f = n.positiveDecimal();
                        if (f.compareTo(BigDecimal.ONE) > 0) {
                            throw new ConfigException(n.path, "is a fraction of a vault's collateral, at most 1");
                        }
                        return f.movePointRight(4).intValue();
                    })
                    .orElse(0);
            out.put(owner, new Scenario.OwnerSpec(reserve, limit, cap));
        }
        return out;
    }

    /** A listed market's protocol ({@code protocol}: morpho-blue, the default, or aave-v3) and its own parameters. */
    private static Scenario.MarketProtocol protocol(YamlNode n, MarketSpec spec) {
        LendingProtocol protocol = n.opt("protocol")
                .map(p -> {
                    try {
                        return LendingProtocol.parse(p.text());
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(p.path, e.getMessage());
                    }
                })
                .orElse(LendingProtocol.MORPHO_BLUE);
        if (protocol == LendingProtocol.MORPHO_BLUE) {
            for (String aaveOnly : List.of("maxBorrowLtv", "liquidationBonus")) {
                n.opt(aaveOnly).ifPresent(x -> {
                    throw new ConfigException(x.path, "is an Aave V3 parameter: this market is morpho-blue");
                });
            }
            return Scenario.MarketProtocol.MORPHO;
        }
        // Aave V3 quotes both bps fields to the basis point: the market's lltv is the liquidation threshold.
        BigDecimal threshold = spec.lltv();
        BigDecimal maxBorrow = n.opt("maxBorrowLtv")
                .map(YamlNode::positiveDecimal)
                .orElse(threshold.subtract(new BigDecimal("0.025")));
        if (maxBorrow.compareTo(threshold) >= 0 || maxBorrow.signum() <= 0)
            throw new ConfigException(
                    n.path + ".maxBorrowLtv",
                    "must be above 0 and below the liquidation threshold (lltv " + threshold.toPlainString() + ")");
        BigDecimal bonus =
                n.opt("liquidationBonus").map(YamlNode::positiveDecimal).orElse(new BigDecimal("0.05"));
        // Aave refuses a threshold whose bonus would make the liquidator's share exceed the collateral.
        if (bonus.compareTo(new BigDecimal("0.5")) > 0
                || threshold.multiply(BigDecimal.ONE.add(bonus)).compareTo(BigDecimal.ONE) > 0)
            throw new ConfigException(
                    n.path + ".liquidationBonus",
                    "with lltv " + threshold.toPlainString() + " must keep lltv x (1 + bonus) <= 1 (Aave's own rule)");
        for (BigDecimal bps : List.of(threshold, maxBorrow, bonus)) {
            if (bps.movePointRight(4).stripTrailingZeros().scale() > 0)
                throw new ConfigException(
                        n.path,
                        "Aave V3 takes lltv, maxBorrowLtv and liquidationBonus in whole basis" + " points (0.825, not "
                                + bps.toPlainString() + ")");
        }
        return new Scenario.MarketProtocol(protocol, maxBorrow, bonus);
    }

    /**
     * Markets on one chain that name the same token symbol share that token: its decimals must agree, and an Aave V3
     * market's tokens have one price each in the pool, so two Aave markets with the same collateral must have the same
     * price path.
     */
    private static void checkSharedTokens(List<Scenario.ScenarioMarket> markets) {
        Map<String, Integer> decimals = new java.util.HashMap<>();
        Map<String, String> firstSeen = new java.util.HashMap<>();
        for (int i = 0; i < markets.size(); i++) {
            var m = markets.get(i);
            for (var t : List.of(m.spec().collateral(), m.spec().loan())) {
                Integer d = decimals.putIfAbsent(t.symbol(), t.decimals());
                firstSeen.putIfAbsent(t.symbol(), m.name());
                if (d != null && d != t.decimals())
                    throw new ConfigException(
                            "markets[" + i + "]",
                            "token " + t.symbol() + " has " + t.decimals() + " decimals here and " + d + " in market "
                                    + firstSeen.get(t.symbol()) + ": markets that name one symbol share one token");
            }
            for (int j = 0; j < i; j++) {
                var o = markets.get(j);
                if (o.spec().collateral().symbol().equals(m.spec().collateral().symbol())
                        && o.spec().loan().symbol().equals(m.spec().loan().symbol())
                        && !o.prices().equals(m.prices()))
                    throw new ConfigException(
                            "markets[" + i + "].prices",
                            "markets " + o.name() + " and " + m.name() + " trade one pair ("
                                    + m.spec().collateral().symbol() + "/"
                                    + m.spec().loan().symbol()
                                    + ") in the same pools and must share its price path");
                if (m.protocol().aave()
                        && o.protocol().aave()
                        && o.spec()
                                .collateral()
                                .symbol()
                                .equals(m.spec().collateral().symbol())
                        && !o.prices().equals(m.prices()))
                    throw new ConfigException(
                            "markets[" + i + "].prices",
                            "Aave V3 prices each token once: markets " + o.name() + " and " + m.name()
                                    + " share collateral "
                                    + m.spec().collateral().symbol()
                                    + " and must share its price path");
            }
        }
    }

    /**
     * A market object at {@code m.path} ("market", or "markets[1]" with its name and prices, which {@code named}
     * allows).
     */
    private static MarketSpec market(YamlNode m, boolean named) {
        if (named)
            m.only(
                    "name",
                    "protocol",
                    "maxBorrowLtv",
                    "liquidationBonus",
                    "collateral",
                    "loan",
                    "lltv",
                    "price",
                    "pools",
                    "liquidity",
                    "oracleMaxAge",
                    "prices",
                    "chain");
        else m.only("collateral", "loan", "lltv", "price", "pools", "liquidity", "oracleMaxAge");
        BigDecimal lltv = m.req("lltv").positiveDecimal();
        if (lltv.compareTo(BigDecimal.ONE) >= 0)
            throw new ConfigException(m.path + ".lltv", "must be below 1 (for example 0.86)");
        BigDecimal price = m.req("price").positiveDecimal();
        List<MarketSpec.PoolSpec> pools = m.req("pools").list(p -> {
            p.only("dex", "fee", "depth");
            MarketSpec.Dex dex;
            try {
                dex = MarketSpec.Dex.parse(p.req("dex").text());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p.path + ".dex", e.getMessage());
            }
            int fee = dex == MarketSpec.Dex.UNISWAP_V3
                    ? p.opt("fee").map(f -> f.intIn(100, 10000)).orElse(3000)
                    : 0;
            if (dex == MarketSpec.Dex.UNISWAP_V3
                    && !List.of(100, 500, 3000, 10000).contains(fee)) {
                throw new ConfigException(
                        p.path + ".fee", "Uniswap V3 fee tiers are 100, 500, 3000 and 10000, not " + fee);
            }
            return new MarketSpec.PoolSpec(dex, fee, p.req("depth").positiveDecimal());
        });
        if (pools.isEmpty())
            throw new ConfigException(m.path + ".pools", "at least one pool is needed, or nothing can be sold");
        return new MarketSpec(
                token(m.req("collateral")),
                token(m.req("loan")),
                price,
                lltv,
                m.opt("liquidity").map(YamlNode::positiveDecimal).orElse(new BigDecimal("100000000")),
                m.opt("oracleMaxAge").map(YamlNode::duration).orElse(Duration.ofHours(1)),
                pools);
    }

    /** A price path at {@code n.path}, starting at block 0 with the price of the market at {@code marketPath}. */
    private static List<Scenario.PricePoint> prices(YamlNode n, MarketSpec market, String marketPath) {
        List<Scenario.PricePoint> prices = n.list(p -> {
            p.only("block", "price");
            return new Scenario.PricePoint(
                    p.req("block").intIn(0, 1_000_000), p.req("price").positiveDecimal());
        });
        if (prices.isEmpty()) throw new ConfigException(n.path, "at least one price point is needed");
        if (prices.get(0).block() != 0)
            throw new ConfigException(n.path + "[0].block", "the path must start at block 0");
        if (prices.get(0).price().compareTo(market.price()) != 0) {
            throw new ConfigException(
                    n.path + "[0].price",
                    "must equal " + marketPath + ".price (" + market.price().toPlainString() + ")");
        }
        for (int i = 1; i < prices.size(); i++) {
            if (prices.get(i).block() <= prices.get(i - 1).block()) {
                throw new ConfigException(n.path + "[" + i + "].block", "blocks must increase along the path");
            }
        }
        return prices;
    }

    private static Vendor vendor(YamlNode n) {
        try {
            return Vendor.parse(n.text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(n.path, e.getMessage());
        }
    }

    /** A fault by its kebab-case name: slow, server-error, rate-limited, malformed-json, html-error, no-route, ... */
    private static Misbehaviour fault(YamlNode n) {
        String t = n.text().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Misbehaviour m : Misbehaviour.values()) if (m.name().equals(t)) return m;
        throw new ConfigException(
                n.path,
                "unknown fault '" + n.text() + "' (known: "
                        + java.util.Arrays.stream(Misbehaviour.values())
                                .map(m -> m.name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', '-'))
                                .collect(java.util.stream.Collectors.joining(", "))
                        + ")");
    }

    private static MarketSpec.TokenSpec token(YamlNode t) {
        t.only("symbol", "decimals");
        return new MarketSpec.TokenSpec(
                t.req("symbol").text(), t.req("decimals").intIn(0, 30));
    }

    private static Scenario.VaultGroup group(
            YamlNode v, List<Scenario.ScenarioMarket> markets, boolean listed, Set<String> names) {
        v.only("name", "count", "collateral", "ltv", "reserve", "keeper", "policy", "guard", "market", "owner");
        String name = v.req("name").text();
        if (!names.add(name)) throw new ConfigException(v.path + ".name", "'" + name + "' is used twice");
        Optional<YamlNode> on = v.opt("market");
        if (on.isPresent() && !listed)
            throw new ConfigException(
                    on.get().path, "names one of the markets: list; with a single market: there is nothing to name");
        if (on.isEmpty() && markets.size() > 1)
            throw new ConfigException(
                    v.path + ".market",
                    "is required with several markets (one of "
                            + String.join(
                                    ", ",
                                    markets.stream()
                                            .map(Scenario.ScenarioMarket::name)
                                            .toList())
                            + ")");
        String marketName = on.map(YamlNode::text).orElse(null);
        Scenario.ScenarioMarket market = marketName == null
                ? markets.get(0)
                : markets.stream()
                        .filter(m -> m.name().equals(marketName))
                        .findFirst()
                        .orElseThrow(() -> new ConfigException(
                                on.get().path,
                                "no market named '" + marketName + "' (markets: "
                                        + String.join(
                                                ", ",
                                                markets.stream()
                                                        .map(Scenario.ScenarioMarket::name)
                                                        .toList())
                                        + ")"));
        BigDecimal lltv = market.spec().lltv();
        BigDecimal ltv = v.req("ltv").positiveDecimal();
        if (ltv.compareTo(lltv) >= 0)
            throw new ConfigException(v.path + ".ltv", "must be below the LLTV " + lltv.toPlainString());
        if (market.protocol().aave() && ltv.compareTo(market.protocol().maxBorrowLtv()) > 0)
            throw new ConfigException(
                    v.path + ".ltv",
                    "Aave V3 lets an owner borrow up to the market's maxBorrowLtv "
                            + market.protocol()
                                    .maxBorrowLtv()
                                    .stripTrailingZeros()
                                    .toPlainString() + ", not "
                            + ltv.toPlainString());
        String owner = v.opt("owner").map(YamlNode::text).orElse(Scenario.VaultGroup.DEFAULT_OWNER);
        if (owner.isBlank()) throw new ConfigException(v.path + ".owner", "must not be empty");
        boolean keeper = v.opt("keeper").map(YamlNode::bool).orElse(false);
        Optional<Scenario.PolicySpec> policy = v.opt("policy").map(p -> policy(p, lltv));
        if (keeper && policy.isEmpty())
            throw new ConfigException(v.path + ".policy", "a vault with keeper: true needs a policy");
        if (policy.flatMap(Scenario.PolicySpec::hedge).isPresent()) {
            if (!keeper)
                throw new ConfigException(
                        v.path + ".policy.hedge", "a hedge is run by the keeper: set keeper: true, or remove this");
            if (market.protocol().aave())
                throw new ConfigException(
                        v.path + ".policy.hedge",
                        "hedges protect Morpho vaults in scenarios (the reverse market prices by the vault market's"
                                + " oracle); this vault is on "
                                + market.protocol().protocol().id());
        }
        if (policy.isPresent() && ltv.compareTo(policy.get().trigger()) >= 0) {
            throw new ConfigException(
                    v.path + ".ltv",
                    "must start below its policy's trigger "
                            + policy.get().trigger().toPlainString());
        }
        return new Scenario.VaultGroup(
                name,
                v.opt("count").map(n -> n.intIn(1, 100_000)).orElse(1),
                v.req("collateral").positiveDecimal(),
                ltv,
                v.opt("reserve")
                        .map(n -> n.text().equals("0") ? BigDecimal.ZERO : n.positiveDecimal())
                        .orElse(BigDecimal.ZERO),
                keeper,
                policy,
                v.opt("guard").map(ScenarioLoader::guard),
                marketName,
                owner);
    }

    /** A vault's guard; checked as the vault checks it (setGuard), the problem named at the block's path. */
    private static Scenario.GuardSpec guard(YamlNode g) {
        g.only("feed", "maxPriceAge", "maxPriceDeviationBps", "sellWindow", "maxWindowSellBps");
        String feed = g.opt("feed").map(YamlNode::text).orElse("market");
        if (!feed.equals("market") && !feed.equals("none"))
            throw new ConfigException(g.path + ".feed", "is market (the scenario market's feed) or none, not " + feed);
        boolean market = feed.equals("market");
        var spec = new Scenario.GuardSpec(
                market,
                g.opt("maxPriceAge").map(YamlNode::duration).orElse(market ? Duration.ofHours(1) : Duration.ZERO),
                g.opt("maxPriceDeviationBps").map(n -> n.intIn(0, 10_000)).orElse(market ? 200 : 0),
                g.opt("sellWindow").map(YamlNode::duration).orElse(Duration.ZERO),
                g.opt("maxWindowSellBps").map(n -> n.intIn(0, 10_000)).orElse(0));
        Guard asSet = new Guard(
                market ? Address.of("0x0000000000000000000000000000000000000001") : Address.ZERO,
                spec.maxPriceAge(),
                spec.maxPriceDeviationBps(),
                spec.sellWindow(),
                spec.maxWindowSellBps());
        asSet.problem().ifPresent(p -> {
            throw new ConfigException(g.path, p + " (the vault would refuse this guard)");
        });
        return spec;
    }

    private static Scenario.PolicySpec policy(YamlNode p, BigDecimal lltv) {
        p.only(
                "trigger",
                "target",
                "band",
                "maxSlippageBps",
                "maxFeeBps",
                "maxSellBps",
                "cooldown",
                "maxGasPriceGwei",
                "softTrigger",
                "maxLiquidationProbability",
                "hedge");
        BigDecimal trigger = p.req("trigger").positiveDecimal();
        BigDecimal target = p.req("target").positiveDecimal();
        if (target.compareTo(trigger) >= 0)
            throw new ConfigException(p.path + ".target", "must be below the trigger " + trigger.toPlainString());
        if (trigger.compareTo(lltv) >= 0)
            throw new ConfigException(p.path + ".trigger", "must be below the LLTV " + lltv.toPlainString());
        BigDecimal band = p.opt("band").map(YamlNode::positiveDecimal).orElse(new BigDecimal("0.05"));
        if (band.compareTo(target) > 0) throw new ConfigException(p.path + ".band", "must not exceed the target");
        Optional<BigDecimal> soft = p.opt("softTrigger").map(YamlNode::positiveDecimal);
        if (soft.isPresent() && (soft.get().compareTo(target) <= 0 || soft.get().compareTo(trigger) >= 0)) {
            throw new ConfigException(
                    p.path + ".softTrigger",
                    "must be between the target " + target.toPlainString() + " and the trigger "
                            + trigger.toPlainString());
        }
        if (soft.isEmpty() && p.opt("maxLiquidationProbability").isPresent()) {
            throw new ConfigException(
                    p.path + ".maxLiquidationProbability", "applies only with a softTrigger: set one, or remove this");
        }
        BigDecimal maxProbability = p.opt("maxLiquidationProbability")
                .map(YamlNode::positiveDecimal)
                .orElse(new BigDecimal("0.05"));
        if (maxProbability.compareTo(BigDecimal.ONE) >= 0
                || maxProbability.scaleByPowerOfTen(4).stripTrailingZeros().scale() > 0) {
            throw new ConfigException(
                    p.path + ".maxLiquidationProbability",
                    "must be a fraction under 1 with at most 4 decimals (0.05 = 5%), not "
                            + maxProbability.toPlainString());
        }
        int maxSlippageBps = p.opt("maxSlippageBps")
                .map(n -> n.intIn(0, Policy.MAX_SLIPPAGE_BPS))
                .orElse(100);
        Duration cooldown = p.opt("cooldown").map(YamlNode::duration).orElse(Duration.ZERO);
        BigDecimal openDefault = soft.orElse(target.add(trigger).divide(BigDecimal.TWO));
        Optional<Scenario.HedgeSpec> hedge =
                p.opt("hedge").map(h -> hedge(h, lltv, trigger, openDefault, maxSlippageBps, cooldown));
        return new Scenario.PolicySpec(
                trigger,
                target,
                band,
                maxSlippageBps,
                p.opt("maxFeeBps").map(n -> n.intIn(0, Policy.MAX_FEE_BPS)).orElse(50),
                p.opt("maxSellBps").map(n -> n.intIn(1, 10_000)).orElse(10_000),
                cooldown,
                p.opt("maxGasPriceGwei").map(YamlNode::positiveDecimal).orElse(new BigDecimal("1000")),
                soft,
                soft.isPresent() ? maxProbability : BigDecimal.ZERO,
                hedge);
    }

    /**
     * A policy's {@code hedge}: the ratio, the hedge's own trigger and target (under the reverse market's LLTV, which
     * is the vault market's), the vault LTV it opens at (default: the soft trigger, else half-way from target to
     * trigger), its margin (required: the L the owner puts in), its slippage and cooldown (default: the policy's).
     */
    private static Scenario.HedgeSpec hedge(
            YamlNode h,
            BigDecimal lltv,
            BigDecimal vaultTrigger,
            BigDecimal openDefault,
            int maxSlippageBps,
            Duration cooldown) {
        h.only("maxRatio", "trigger", "target", "open", "margin", "maxSlippageBps", "cooldown");
        BigDecimal ratio = h.req("maxRatio").positiveDecimal();
        if (ratio.compareTo(BigDecimal.ONE) > 0)
            throw new ConfigException(h.path + ".maxRatio", "is a share of the vault's collateral: at most 1");
        BigDecimal trigger = h.req("trigger").positiveDecimal();
        BigDecimal target = h.req("target").positiveDecimal();
        if (target.compareTo(trigger) >= 0)
            throw new ConfigException(
                    h.path + ".target", "must be below the hedge's trigger " + trigger.toPlainString());
        if (trigger.compareTo(lltv) >= 0)
            throw new ConfigException(
                    h.path + ".trigger",
                    "must be below the reverse market's LLTV " + lltv.toPlainString() + " (the vault market's)");
        BigDecimal open = h.opt("open").map(YamlNode::positiveDecimal).orElse(openDefault);
        if (open.compareTo(vaultTrigger) >= 0)
            throw new ConfigException(
                    h.path + ".open",
                    "must be below the vault's trigger " + vaultTrigger.toPlainString()
                            + ": a hedge is opened before the vault must act");
        BigDecimal margin = h.req("margin").positiveDecimal();
        for (BigDecimal f : List.of(ratio, trigger, target, open)) {
            if (f.scaleByPowerOfTen(4).stripTrailingZeros().scale() > 0)
                throw new ConfigException(h.path, "ratios and LTVs have at most 4 decimals, not " + f.toPlainString());
        }
        return new Scenario.HedgeSpec(
                ratio,
                trigger,
                target,
                open,
                margin,
                h.opt("maxSlippageBps")
                        .map(n -> n.intIn(0, Policy.MAX_SLIPPAGE_BPS))
                        .orElse(maxSlippageBps),
                h.opt("cooldown").map(YamlNode::duration).orElse(cooldown));
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
