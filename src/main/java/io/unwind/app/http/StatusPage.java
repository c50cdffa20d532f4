package io.unwind.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgeState;
import io.unwind.domain.money.Token;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.portfolio.Portfolio;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.MarketVolatility;
import io.unwind.engine.Hedger;
import io.unwind.engine.MarketMapView;
import io.unwind.engine.MarketMaps;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only status page: {@code /} is a self-contained HTML page (no external scripts, styles or fonts) that polls
 * {@code /api/status} and draws the vault table with a health bar per vault, each owner's vaults as one book (its
 * portfolio), the recent transactions from the journal, and a chart of the selected vault's LTV over time against its
 * trigger, target and LLTV.
 */
public final class StatusPage {
    static final String API = "/api/status";
    private static final int RECENT_TXS = 15;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VaultHistory history;
    private final Journal journal;
    private final Address keeper;
    private final long chainId;
    private final Clock clock;
    private final byte[] html;
    private final MarketMaps maps;
    private volatile java.util.function.Function<String, java.util.Optional<MarketVolatility.Reading>> volatility =
            m -> java.util.Optional.empty();
    /** In cluster mode, this node and the cluster's nodes as it last saw them; null for a single keeper. */
    private volatile java.util.function.Supplier<StatusJson.PageCluster> cluster = () -> null;
    /** Each hedge's last reading, by hedge; null for a keeper without hedges (the page has no hedge section). */
    private volatile java.util.function.Supplier<Map<Address, Hedger.View>> hedges = () -> null;

    public StatusPage(VaultHistory history, Journal journal, Address keeper, long chainId, Clock clock) {
        this(history, journal, keeper, chainId, clock, new MarketMaps());
    }

    /** A cluster node's section: its id, the partitions it ticked lately and the nodes of the registry. */
    public StatusPage withCluster(java.util.function.Supplier<StatusJson.PageCluster> view) {
        this.cluster = view;
        return this;
    }

    /** The hedges' section: each hedge's last reading and the keeper's decision on it. */
    public StatusPage withHedges(java.util.function.Supplier<Map<Address, Hedger.View>> views) {
        this.hedges = views;
        return this;
    }

    /** Where each market's volatility comes from (the keeper's risk model), for the market sections. */
    public StatusPage withVolatility(
            java.util.function.Function<String, java.util.Optional<MarketVolatility.Reading>> readings) {
        this.volatility = readings;
        return this;
    }

    public StatusPage(
            VaultHistory history, Journal journal, Address keeper, long chainId, Clock clock, MarketMaps maps) {
        this.maps = maps;
        this.history = history;
        this.journal = journal;
        this.keeper = keeper;
        this.chainId = chainId;
        this.clock = clock;
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/index.html")) {
            if (in == null)
                throw new IllegalStateException("the status page is missing from the jar (status/index.html)");
            this.html = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the status page: " + e.getMessage(), e);
        }
    }

    /** Adds {@code /} and {@code /api/status} to the server. */
    public void register(StatusServer server) {
        server.route("/", q -> new StatusServer.Response(200, "text/html; charset=utf-8", html));
        server.route(
                API,
                q -> StatusServer.Response.text(
                        200, "application/json", JSON.writeValueAsString(snapshot(server.checks()))));
    }

    StatusJson.PageStatus snapshot(Map<String, StatusServer.Check> ready) {
        List<VaultHistory.Vault> vaults = new ArrayList<>(history.vaults());
        vaults.sort(Comparator.comparingDouble(StatusPage::distance)
                .thenComparing(v -> v.health().vault()));
        return new StatusJson.PageStatus(
                keeper.hex(),
                chainId,
                clock.instant().getEpochSecond(),
                history.head()
                        .map(h -> new StatusJson.PageHead(
                                h.number(), h.timestamp().getEpochSecond()))
                        .orElse(null),
                new LinkedHashMap<>(ready),
                cluster.get(),
                vaults.stream().map(StatusPage::vault).toList(),
                // The vaults are sorted nearest to liquidation first, so the owner of the most urgent vault comes
                // first.
                Portfolio.byOwner(
                                vaults.stream().map(VaultHistory.Vault::health).toList(), Map.of())
                        .stream()
                        .map(StatusPage::portfolio)
                        .toList(),
                hedges(),
                history.actions().stream()
                        .map(a -> new StatusJson.PageAction(
                                a.block(),
                                a.vault().hex(),
                                a.kind().label(),
                                a.route(),
                                a.tx().map(Object::toString).orElse(null)))
                        .toList(),
                transactions(),
                maps.all().stream().map(this::market).toList());
    }

    /** Null without hedges; otherwise each hedge's row, by vault. */
    private List<StatusJson.PageHedge> hedges() {
        Map<Address, Hedger.View> views = hedges.get();
        if (views == null) return null;
        return views.values().stream()
                .sorted(Comparator.comparing(
                                (Hedger.View v) -> v.state().vault().hex())
                        .thenComparing(v -> v.state().hedge().hex()))
                .map(StatusPage::hedge)
                .toList();
    }

    static StatusJson.PageHedge hedge(Hedger.View v) {
        HedgeState s = v.state();
        VaultHealth h = v.vault();
        Token loan = h.loanToken();
        boolean priced = h.priceKnown();
        BigInteger price = h.price();
        return new StatusJson.PageHedge(
                s.hedge().hex(),
                s.vault().hex(),
                h.collateralToken().symbol() + "/" + loan.symbol(),
                v.block(),
                amount(h.collateralToken().amount(s.shorted())),
                priced ? amount(loan.amount(s.shortValue(price))) : null,
                s.ratioBps(h.collateral()) / 10_000.0,
                s.policy().maxRatioBps() / 10_000.0,
                priced ? VaultHistory.fraction(s.ltv(price)) : null,
                s.policy().triggerLtvBps() / 10_000.0,
                s.policy().targetLtvBps() / 10_000.0,
                amount(loan.amount(s.margin())),
                priced ? signed(loan, s.equity(price)) : null,
                priced ? signed(loan, s.equity(price).subtract(s.principal())) : null,
                s.fundingRate(),
                priced ? amount(loan.amount(s.fundingPerYear(price))) : null,
                v.decision());
    }

    /** A market's map for the chart: amounts in whole collateral tokens (a chart needs no more). */
    StatusJson.PageMarketMap market(MarketMapView v) {
        var map = v.map();
        int decimals = v.collateral().decimals();
        List<StatusJson.PageBucket> buckets = new ArrayList<>();
        List<java.math.BigInteger> cumulative = map.cumulative();
        for (var b : map.buckets()) {
            buckets.add(new StatusJson.PageBucket(
                    b.upperFraction(),
                    b.lowerFraction(),
                    tokens(b.collateral(), decimals),
                    tokens(cumulative.get(b.index()), decimals),
                    b.positions()));
        }
        List<StatusJson.PageDepth> depth = new ArrayList<>();
        for (var e : v.cascade().depth().entrySet()) {
            int bps = e.getKey();
            double ratio = v.cascade().cascadeRatio(bps).orElse(0.0);
            depth.add(new StatusJson.PageDepth(
                    bps / 10_000.0,
                    tokens(map.liquidatableWithin(bps), decimals),
                    tokens(e.getValue(), decimals),
                    Double.isInfinite(ratio) ? null : ratio));
        }
        return new StatusJson.PageMarketMap(
                v.marketId(),
                v.label(),
                v.collateral().symbol(),
                v.block(),
                TokenAmount.displayDecimal(map.price(), 36 + map.loanToken().decimals() - decimals)
                        .toPlainString(),
                map.stepBps() / 10_000.0,
                map.rangeBps() / 10_000.0,
                v.borrowers(),
                tokens(map.alreadyLiquidatable().collateral(), decimals),
                buckets,
                depth,
                v.volatilityMultiplier(),
                v.explanation(),
                volatility
                        .apply(v.marketId())
                        .map(MarketVolatility.Reading::sigmaAnnual)
                        .orElse(null),
                volatility
                        .apply(v.marketId())
                        .map(MarketVolatility.Reading::describe)
                        .orElse(null));
    }

    private static double tokens(java.math.BigInteger units, int decimals) {
        return new BigDecimal(units).movePointLeft(decimals).doubleValue();
    }

    private static double distance(VaultHistory.Vault v) {
        // Unknown (no price, no LLTV) sorts with the safe ones, as a vault without debt does.
        return v.health().liquidationDistance().map(BigDecimal::doubleValue).orElse(1.0);
    }

    private static StatusJson.PageVault vault(VaultHistory.Vault v) {
        VaultHealth h = v.health();
        return new StatusJson.PageVault(
                h.vault().hex(),
                h.owner().hex(),
                h.collateralToken().symbol() + "/" + h.loanToken().symbol(),
                h.protocol().id(),
                v.block(),
                h.priceKnown() ? VaultHistory.fraction(h.ltv()) : null,
                h.policy().trigger().fraction(),
                h.policy().target().fraction(),
                VaultHistory.fraction(h.lltv()),
                h.priceKnown() && h.hasDebt() ? distance(v) : null,
                amount(h.collateralToken().amount(h.collateral())),
                amount(h.loanToken().amount(h.debt())),
                amount(h.loanToken().amount(h.reserve())),
                h.policy().isSet(),
                h.paused(),
                h.keeperAllowed(),
                h.lastActionAt().getEpochSecond(),
                v.outcome(),
                v.detail(),
                v.points().stream()
                        .map(p -> new StatusJson.PagePoint(p.block(), p.time(), p.ltv(), p.trigger(), p.target()))
                        .toList(),
                h.priceKnown() ? Ltv.percent(h.ltv()) : "no price");
    }

    static StatusJson.PagePortfolio portfolio(Portfolio p) {
        var worst = p.worst();
        return new StatusJson.PagePortfolio(
                p.owner().hex(),
                p.positions().size(),
                p.protocols().stream().map(x -> x.id()).toList(),
                p.totals().stream()
                        .map(t -> new StatusJson.PagePortfolioTotal(
                                t.quote().symbol(),
                                totalText(t),
                                signed(t.quote(), t.equity()),
                                t.vaults(),
                                t.unpriced()))
                        .toList(),
                worst.map(w -> w.vault().hex()).orElse(null),
                worst.map(w -> w.protocol().id()).orElse(null),
                worst.map(w -> w.health().collateralToken().symbol() + "/"
                                + w.health().loanToken().symbol())
                        .orElse(null),
                worst.flatMap(Portfolio.Position::ltvToLltv)
                        .map(BigDecimal::doubleValue)
                        .orElse(null));
    }

    /** "collateral 90,000 USDC, debt 52,800 USDC, reserves 1,000 USDC: equity 38,200 USDC". */
    private static String totalText(Portfolio.Total t) {
        Token q = t.quote();
        return "collateral " + text(q, t.collateralValue()) + ", debt " + text(q, t.debt()) + ", reserves "
                + text(q, t.reserve())
                + (t.sharedReserve().signum() == 0 ? "" : ", shared reserve " + text(q, t.sharedReserve()))
                + ": equity " + text(q, t.equity())
                + (t.unpriced() == 0
                        ? ""
                        : " (" + t.unpriced() + " vault" + (t.unpriced() == 1 ? "" : "s")
                                + " left out: no oracle price)");
    }

    /** Whole tokens, rounded for display, thousands grouped, signed. */
    private static String text(Token t, BigInteger units) {
        String plain = TokenAmount.displayDecimal(units.abs(), t.decimals()).toPlainString();
        int dot = plain.indexOf('.');
        String whole = dot < 0 ? plain : plain.substring(0, dot);
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) grouped.append(',');
            grouped.append(whole.charAt(i));
        }
        return (units.signum() < 0 ? "-" : "") + grouped + (dot < 0 ? "" : plain.substring(dot)) + " " + t.symbol();
    }

    /** As {@link #amount}, for an amount that may be negative (an equity). */
    private static StatusJson.PageAmount signed(Token t, BigInteger units) {
        return new StatusJson.PageAmount(
                (units.signum() < 0 ? "-" : "")
                        + TokenAmount.displayDecimal(units.abs(), t.decimals()).toPlainString(),
                t.symbol(),
                units.toString());
    }

    /** Rounded text for people and exact base units: the page shows the text, scripts may use the units. */
    private static StatusJson.PageAmount amount(TokenAmount a) {
        return new StatusJson.PageAmount(
                TokenAmount.displayDecimal(a.units(), a.token().decimals()).toPlainString(),
                a.token().symbol(),
                a.units().toString());
    }

    private List<StatusJson.PageTx> transactions() {
        List<StatusJson.PageTx> out = new ArrayList<>();
        for (TxRecord r : journal.list(TxQuery.latest(RECENT_TXS))) {
            TxDetail d = journal.detail(r.id()).orElse(null);
            if (d == null) continue;
            out.add(new StatusJson.PageTx(
                    r.id(),
                    r.state().name(),
                    r.state().describe(),
                    r.kind().name(),
                    r.kind().describe(),
                    r.vault().hex(),
                    r.from().hex(),
                    r.nonce().isPresent() ? r.nonce().getAsLong() : null,
                    d.attempts().size(),
                    d.mined().or(d::latest).map(a -> a.hash().hex()).orElse(null),
                    r.confirmation().map(c -> c.blockNumber()).orElse(null),
                    r.confirmation().map(c -> c.succeeded()).orElse(null),
                    r.confirmation().map(c -> c.feePaid().value().toString()).orElse(null),
                    r.planSummary().orElse(null),
                    r.error().orElse(null),
                    r.createdAt().getEpochSecond()));
        }
        return out;
    }
}
