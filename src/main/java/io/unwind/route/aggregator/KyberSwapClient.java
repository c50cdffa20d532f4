package io.unwind.route.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.route.Quote;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import io.unwind.route.aggregator.AggregatorException.Kind;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KyberSwap aggregator API v1: {@code GET /{chainSlug}/api/v1/routes} gives a {@code routeSummary}, {@code POST
 * /{chainSlug}/api/v1/route/build} with it verbatim gives the transaction. The build's {@code slippageTolerance} (bps)
 * defaults to 0 at KyberSwap, so it is always sent; the vault is sender and recipient, the order's deadline is passed
 * on, and {@code skipSimulateTx} is set because the vault only holds the collateral during its own callback. Every
 * request carries {@code X-Client-Id}. Answers are {@code {code, message, data}}; code 4008 is "route not found".
 */
public final class KyberSwapClient implements RouteSource {
    static final int ROUTE_NOT_FOUND = 4008;
    private static final String DEFAULT_CLIENT_ID = "unwind-keeper";

    private final AggregatorSettings s;
    private final HttpJson http;
    private final Json json;

    public KyberSwapClient(AggregatorSettings s) {
        this.s = s;
        this.http = new HttpJson(
                name(),
                s.baseUrl(),
                s.timeout(),
                Map.of("X-Client-Id", s.apiKey().map(ApiKey::reveal).orElse(DEFAULT_CLIENT_ID)));
        this.json = new Json(name());
    }

    @Override
    public String name() {
        return Vendor.KYBERSWAP.id();
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("tokenIn", r.sell().address().hex());
        q.put("tokenOut", r.buy().address().hex());
        q.put("amountIn", r.amountIn().toString());
        String base = "/" + s.chainSlug() + "/api/v1";
        HttpJson.Answer a = http.get(base + "/routes", q);
        Optional<JsonNode> data = data(a, "/routes");
        if (data.isEmpty()) return List.of();
        JsonNode summary = json.req(data.get(), "routeSummary");
        if (!summary.isObject()) throw json.malformed("routeSummary is not an object");
        if (json.amount(summary, "amountOut").signum() == 0) return List.of();

        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        body.set("routeSummary", summary); // verbatim
        body.put("sender", r.vault().hex());
        body.put("recipient", r.vault().hex());
        body.put("slippageTolerance", r.slippageBps());
        body.put("deadline", r.deadline().getEpochSecond());
        body.put("skipSimulateTx", true);
        Optional<JsonNode> built = data(http.post(base + "/route/build", Map.of(), body), "/route/build");
        if (built.isEmpty())
            throw new AggregatorException(name(), Kind.REJECTED, "the route vanished before it was built");
        JsonNode d = built.get();
        long gas = json.gas(d, "gas") > 0 ? json.gas(d, "gas") : json.gas(summary, "gas");
        return List.of(AggregatorQuote.of(
                name(),
                r,
                json.address(d, "routerAddress"),
                json.hex(d, "data"),
                json.optAmount(d, "transactionValue").orElse(BigInteger.ZERO),
                json.amount(d, "amountOut"),
                Optional.empty(),
                gas));
    }

    /** The {@code data} of a successful answer; empty for "route not found"; an exception for any other error. */
    private Optional<JsonNode> data(HttpJson.Answer a, String path) {
        JsonNode b = a.body();
        int code = json.opt(b, "code")
                .filter(JsonNode::canConvertToInt)
                .map(JsonNode::asInt)
                .orElse(a.ok() ? 0 : -1);
        if (code == ROUTE_NOT_FOUND) return Optional.empty();
        if (!a.ok() || code != 0) {
            throw new AggregatorException(
                    name(),
                    Kind.REJECTED,
                    "HTTP " + a.status() + " " + path + ": code " + code + " "
                            + json.optText(b, "message").orElse(""));
        }
        return Optional.of(json.req(b, "data"));
    }
}
