package io.unwind.route.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
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
 * 1inch Swap API v6: one {@code GET /swap/v6.0/{chainId}/swap} gives the amount out and the transaction (the
 * {@code /quote} endpoint would only repeat the price, and the keeper needs calldata for every candidate). {@code from}
 * is the vault (it holds the collateral when the swap runs), {@code origin} the keeper's EOA, {@code slippage} in
 * percent; {@code disableEstimate=true} because the vault only holds the collateral during its own callback, so 1inch's
 * balance and allowance checks would fail. Auth: {@code Authorization: Bearer KEY}. "No route" is a 400 whose
 * {@code description} says "insufficient liquidity".
 */
public final class OneInchClient implements RouteSource {
    private final AggregatorSettings s;
    private final HttpJson http;
    private final Json json;

    public OneInchClient(AggregatorSettings s) {
        this.s = s;
        Map<String, String> headers = new LinkedHashMap<>();
        s.apiKey().ifPresent(k -> headers.put("Authorization", "Bearer " + k.reveal()));
        this.http = new HttpJson(name(), s.baseUrl(), s.timeout(), headers);
        this.json = new Json(name());
    }

    @Override
    public String name() {
        return Vendor.ONE_INCH.id();
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("src", r.sell().address().hex());
        q.put("dst", r.buy().address().hex());
        q.put("amount", r.amountIn().toString());
        q.put("from", r.vault().hex());
        q.put("origin", s.origin().hex());
        q.put("slippage", Json.percent(r.slippageBps()).toPlainString());
        q.put("disableEstimate", "true");
        q.put("includeGas", "true");
        HttpJson.Answer a = http.get("/swap/v6.0/" + s.chainId() + "/swap", q);
        if (!a.ok()) {
            String description = json.optText(a.body(), "description").orElse("");
            if (description.toLowerCase(java.util.Locale.ROOT).contains("insufficient liquidity")) return List.of();
            throw new AggregatorException(
                    name(),
                    Kind.REJECTED,
                    "HTTP " + a.status() + " " + json.optText(a.body(), "error").orElse("") + ": " + description);
        }
        JsonNode b = a.body();
        BigInteger out = json.amount(b, "dstAmount");
        if (out.signum() == 0) return List.of();
        JsonNode tx = json.req(b, "tx");
        return List.of(AggregatorQuote.of(
                name(),
                r,
                json.address(tx, "to"),
                json.hex(tx, "data"),
                json.optAmount(tx, "value").orElse(BigInteger.ZERO),
                out,
                Optional.empty(),
                json.gas(tx, "gas")));
    }
}
