package io.unwind.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only status page: {@code /} is a self-contained HTML page (no external scripts, styles or fonts) that
 * polls {@code /api/status} and draws the vault table with a health bar per vault, the recent transactions from the
 * journal, and a chart of the selected vault's LTV over time against its trigger, target and LLTV.
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

    public StatusPage(VaultHistory history, Journal journal, Address keeper, long chainId, Clock clock) {
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

    Map<String, Object> snapshot(Map<String, StatusServer.Check> ready) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keeper", keeper.hex());
        m.put("chainId", chainId);
        m.put("now", clock.instant().getEpochSecond());
        history.head()
                .ifPresent(h -> m.put(
                        "head",
                        Map.of("block", h.number(), "time", h.timestamp().getEpochSecond())));
        Map<String, Object> checks = new LinkedHashMap<>();
        ready.forEach((k, c) -> checks.put(k, Map.of("ok", c.ok(), "detail", c.detail())));
        m.put("ready", checks);
        List<VaultHistory.Vault> vaults = new ArrayList<>(history.vaults());
        vaults.sort(Comparator.comparingDouble(StatusPage::distance)
                .thenComparing(v -> v.health().vault()));
        m.put("vaults", vaults.stream().map(StatusPage::vault).toList());
        m.put(
                "actions",
                history.actions().stream()
                        .map(a -> {
                            Map<String, Object> x = new LinkedHashMap<>();
                            x.put("block", a.block());
                            x.put("vault", a.vault().hex());
                            x.put("kind", a.kind().label());
                            x.put("route", a.route());
                            x.put("tx", a.tx().map(Object::toString).orElse(null));
                            return x;
                        })
                        .toList());
        m.put("transactions", transactions());
        return m;
    }

    private static double distance(VaultHistory.Vault v) {
        // Unknown (no price, no LLTV) sorts with the safe ones, as a vault without debt does.
        return v.health().liquidationDistance().map(BigDecimal::doubleValue).orElse(1.0);
    }

    private static Map<String, Object> vault(VaultHistory.Vault v) {
        VaultHealth h = v.health();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vault", h.vault().hex());
        m.put("owner", h.owner().hex());
        m.put("pair", h.collateralToken().symbol() + "/" + h.loanToken().symbol());
        m.put("block", v.block());
        m.put("ltv", h.priceKnown() ? VaultHistory.fraction(h.ltv()) : null);
        m.put("trigger", h.policy().trigger().fraction());
        m.put("target", h.policy().target().fraction());
        m.put("lltv", VaultHistory.fraction(h.lltv()));
        m.put("distance", h.priceKnown() && h.hasDebt() ? distance(v) : null);
        m.put("collateral", amount(h.collateralToken().amount(h.collateral())));
        m.put("debt", amount(h.loanToken().amount(h.debt())));
        m.put("reserve", amount(h.loanToken().amount(h.reserve())));
        m.put("policySet", h.policy().isSet());
        m.put("paused", h.paused());
        m.put("keeperAllowed", h.keeperAllowed());
        m.put("lastActionAt", h.lastActionAt().getEpochSecond());
        m.put("outcome", v.outcome());
        m.put("detail", v.detail());
        m.put(
                "history",
                v.points().stream()
                        .map(p -> List.of(p.block(), p.time(), p.ltv(), p.trigger(), p.target()))
                        .toList());
        m.put("ltvText", h.priceKnown() ? Ltv.percent(h.ltv()) : "no price");
        return m;
    }

    /** Rounded text for people and exact base units: the page shows the text, scripts may use the units. */
    private static Map<String, Object> amount(TokenAmount a) {
        return Map.of(
                "text",
                TokenAmount.displayDecimal(a.units(), a.token().decimals()).toPlainString(),
                "symbol",
                a.token().symbol(),
                "units",
                a.units().toString());
    }

    private List<Map<String, Object>> transactions() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TxRecord r : journal.list(TxQuery.latest(RECENT_TXS))) {
            TxDetail d = journal.detail(r.id()).orElse(null);
            if (d == null) continue;
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", r.id());
            x.put("state", r.state().name());
            x.put("stateText", r.state().describe());
            x.put("kind", r.kind().name());
            x.put("kindText", r.kind().describe());
            x.put("vault", r.vault().hex());
            x.put("nonce", r.nonce().isPresent() ? r.nonce().getAsLong() : null);
            x.put("attempts", d.attempts().size());
            x.put("hash", d.mined().or(d::latest).map(a -> a.hash().hex()).orElse(null));
            x.put("block", r.confirmation().map(c -> (Object) c.blockNumber()).orElse(null));
            x.put("succeeded", r.confirmation().map(c -> (Object) c.succeeded()).orElse(null));
            x.put(
                    "feePaidWei",
                    r.confirmation()
                            .map(c -> (Object) c.feePaid().value().toString())
                            .orElse(null));
            x.put("plan", r.planSummary().orElse(null));
            x.put("error", r.error().orElse(null));
            x.put("created", r.createdAt().getEpochSecond());
            out.add(x);
        }
        return out;
    }
}
