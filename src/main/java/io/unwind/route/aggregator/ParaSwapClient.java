package io.unwind.route.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.route.Quote;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import io.unwind.route.aggregator.AggregatorException.Kind;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ParaSwap (Velora) API, Augustus 6.2: {@code GET /prices} for a {@code priceRoute}, then {@code POST
 * /transactions/{network}?ignoreChecks=true} with that priceRoute verbatim, the slippage in basis points and the vault
 * as {@code userAddress}. {@code ignoreChecks} because the vault only holds the collateral during its own callback. A
 * priceRoute goes stale after about 30 s: one older than {@link #PRICE_ROUTE_LIFETIME} is priced again before it is
 * built, and a build refused as stale is priced and built once more. "No route" is {@code {error: "No routes found with
 * enough liquidity"}} or {@code ESTIMATED_LOSS_GREATER_THAN_MAX_IMPACT}.
 */
public final class ParaSwapClient implements RouteSource {
    /** ParaSwap refuses priceRoutes older than about 30 s; build well within that. */
    static final Duration PRICE_ROUTE_LIFETIME = Duration.ofSeconds(25);

    private final AggregatorSettings s;
    private final HttpJson http;
    private final Json json;
    private final Clock clock;

    public ParaSwapClient(AggregatorSettings s) {
        this(s, Clock.systemUTC());
    }

    ParaSwapClient(AggregatorSettings s, Clock clock) {
        this.s = s;
        this.http = new HttpJson(name(), s.baseUrl(), s.timeout(), Map.of());
        this.json = new Json(name());
        this.clock = clock;
    }

    @Override
    public String name() {
        return Vendor.PARASWAP.id();
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        for (int attempt = 0; ; attempt++) {
            Instant pricedAt = clock.instant();
            Optional<JsonNode> route = price(r);
            if (route.isEmpty()) return List.of();
            if (Duration.between(pricedAt, clock.instant()).compareTo(PRICE_ROUTE_LIFETIME) > 0 && attempt == 0)
                continue;
            try {
                return List.of(build(r, route.get()));
            } catch (StaleRoute e) {
                if (attempt > 0)
                    throw new AggregatorException(
                            name(), Kind.REJECTED, "priceRoute refused as stale twice: " + e.getMessage());
            }
        }
    }

    private Optional<JsonNode> price(QuoteRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("srcToken", r.sell().address().hex());
        q.put("srcDecimals", Integer.toString(r.sell().decimals()));
        q.put("destToken", r.buy().address().hex());
        q.put("destDecimals", Integer.toString(r.buy().decimals()));
        q.put("amount", r.amountIn().toString());
        q.put("side", "SELL");
        q.put("network", Long.toString(s.chainId()));
        q.put("version", "6.2");
        HttpJson.Answer a = http.get("/prices", q);
        if (!a.ok() || a.body().has("error")) {
            String error = json.optText(a.body(), "error").orElse("");
            if (noRoute(error)) return Optional.empty();
            throw new AggregatorException(name(), Kind.REJECTED, "HTTP " + a.status() + " /prices: " + error);
        }
        JsonNode route = json.req(a.body(), "priceRoute");
        if (!route.isObject()) throw json.malformed("priceRoute is not an object");
        if (json.amount(route, "destAmount").signum() == 0) return Optional.empty();
        return Optional.of(route);
    }

    private Quote build(QuoteRequest r, JsonNode route) {
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        body.set("priceRoute", route); // verbatim: ParaSwap checks it has not been altered
        body.put("srcToken", r.sell().address().hex());
        body.put("destToken", r.buy().address().hex());
        body.put("srcAmount", r.amountIn().toString());
        body.put("slippage", r.slippageBps());
        body.put("userAddress", r.vault().hex());
        HttpJson.Answer a = http.post("/transactions/" + s.chainId(), Map.of("ignoreChecks", "true"), body);
        JsonNode b = a.body();
        if (!a.ok() || b.has("error")) {
            String error = json.optText(b, "error").orElse("");
            String lower = error.toLowerCase(Locale.ROOT);
            if (lower.contains("price")
                    && (lower.contains("timeout") || lower.contains("stale") || lower.contains("expired"))) {
                throw new StaleRoute(error);
            }
            if (noRoute(error))
                throw new AggregatorException(
                        name(), Kind.REJECTED, "the route vanished before it was built: " + error);
            throw new AggregatorException(name(), Kind.REJECTED, "HTTP " + a.status() + " /transactions: " + error);
        }
        Address to = json.address(b, "to");
        Optional<Address> spender = json.opt(route, "tokenTransferProxy").isPresent()
                ? Optional.of(json.address(route, "tokenTransferProxy"))
                : json.opt(route, "contractAddress").map(x -> json.address(route, "contractAddress"));
        if (spender.isPresent() && !spender.get().equals(to)) {
            throw AggregatorQuote.rejected(
                    name(), "the spender " + spender.get() + " is not the transaction's target " + to);
        }
        long gas = json.gas(b, "gas") > 0 ? json.gas(b, "gas") : json.gas(route, "gasCost");
        return AggregatorQuote.of(
                name(),
                r,
                to,
                json.hex(b, "data"),
                json.optAmount(b, "value").orElse(BigInteger.ZERO),
                json.amount(route, "destAmount"),
                Optional.empty(),
                gas);
    }

    private static boolean noRoute(String error) {
        return error.contains("No routes found") || error.contains("ESTIMATED_LOSS_GREATER_THAN_MAX_IMPACT");
    }

    /** The build step refused the priceRoute as too old. */
    private static final class StaleRoute extends RuntimeException {
        StaleRoute(String message) {
            super(message, null, false, false);
        }
    }
}
