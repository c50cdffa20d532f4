package io.unwind.route.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.route.Quote;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import io.unwind.route.aggregator.AggregatorException.Kind;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Odos smart order routing: {@code POST /sor/quote/v2} (the vault as {@code userAddr}, slippage in percent) gives a
 * {@code pathId}, {@code POST /sor/assemble} turns it into a transaction. A pathId lives 60 s: one older than
 * {@link #PATH_LIFETIME} is quoted again instead of assembled, and an assemble refused with a 4xx (an expired or
 * unknown path) is quoted and assembled once more. "No route" is {@code errorCode} 2000. The quote asks for
 * {@code compact: false}, so that the assembled calldata is the router's ABI-encoded {@code swap}.
 */
public final class OdosClient implements RouteSource {
    static final Duration PATH_LIFETIME = Duration.ofSeconds(50);
    /** Odos' "no viable path" error. */
    static final int NO_PATH = 2000;

    private final AggregatorSettings s;
    private final HttpJson http;
    private final Json json;
    private final Clock clock;

    public OdosClient(AggregatorSettings s) {
        this(s, Clock.systemUTC());
    }

    OdosClient(AggregatorSettings s, Clock clock) {
        this.s = s;
        this.http = new HttpJson(name(), s.baseUrl(), s.timeout(), Map.of());
        this.json = new Json(name());
        this.clock = clock;
    }

    @Override
    public String name() {
        return Vendor.ODOS.id();
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        for (int attempt = 0; ; attempt++) {
            Instant quotedAt = clock.instant();
            Optional<JsonNode> path = pathFor(r);
            if (path.isEmpty()) return List.of();
            if (Duration.between(quotedAt, clock.instant()).compareTo(PATH_LIFETIME) > 0 && attempt == 0) continue;
            HttpJson.Answer a = assemble(r, json.text(path.get(), "pathId"));
            if (!a.ok()) {
                if (attempt == 0) continue; // an expired or unknown pathId: quote afresh, once
                throw error("/sor/assemble", a);
            }
            JsonNode b = a.body();
            JsonNode tx = json.req(b, "transaction");
            // The assembled amount belongs to the calldata; the quote's is the fallback.
            BigInteger out = json.optAmount(b, "outputTokens[0].amount")
                    .orElseGet(() -> json.amount(path.get(), "outAmounts[0]"));
            long gas =
                    json.gas(b, "gasEstimate") > 0 ? json.gas(b, "gasEstimate") : json.gas(path.get(), "gasEstimate");
            return List.of(AggregatorQuote.of(
                    name(),
                    r,
                    json.address(tx, "to"),
                    json.hex(tx, "data"),
                    json.optAmount(tx, "value").orElse(BigInteger.ZERO),
                    out,
                    Optional.empty(),
                    gas));
        }
    }

    private Optional<JsonNode> pathFor(QuoteRequest r) {
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        body.put("chainId", s.chainId());
        body.putArray("inputTokens")
                .addObject()
                .put("tokenAddress", r.sell().address().hex())
                .put("amount", r.amountIn().toString());
        body.putArray("outputTokens")
                .addObject()
                .put("tokenAddress", r.buy().address().hex())
                .put("proportion", 1);
        body.put("userAddr", r.vault().hex());
        body.put("slippageLimitPercent", Json.percent(r.slippageBps()));
        // Odos assembles swapCompact() by default: packed arguments, some read from the router's storage, that the
        // keeper cannot check. compact=false asks for the ABI-encoded swap(tokenInfo, ...), which it can.
        body.put("compact", false);
        HttpJson.Answer a = http.post("/sor/quote/v2", Map.of(), body);
        if (!a.ok()) {
            if (json.opt(a.body(), "errorCode")
                            .filter(JsonNode::canConvertToInt)
                            .map(JsonNode::asInt)
                            .orElse(0)
                    == NO_PATH) {
                return Optional.empty();
            }
            throw error("/sor/quote/v2", a);
        }
        JsonNode b = a.body();
        json.text(b, "pathId");
        if (json.amount(b, "outAmounts[0]").signum() == 0) return Optional.empty();
        return Optional.of(b);
    }

    private HttpJson.Answer assemble(QuoteRequest r, String pathId) {
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        body.put("userAddr", r.vault().hex());
        body.put("pathId", pathId);
        return http.post("/sor/assemble", Map.of(), body);
    }

    private AggregatorException error(String path, HttpJson.Answer a) {
        return new AggregatorException(
                name(),
                Kind.REJECTED,
                "HTTP " + a.status() + " " + path + ": errorCode "
                        + json.optText(a.body(), "errorCode").orElse("?") + " "
                        + json.optText(a.body(), "detail").orElse("")
                        + json.optText(a.body(), "traceId")
                                .map(t -> " (trace " + t + ")")
                                .orElse(""));
    }
}
