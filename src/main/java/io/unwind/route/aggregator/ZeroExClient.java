package io.unwind.route.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
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
 * 0x Swap API v2, AllowanceHolder flavour: {@code GET /swap/allowance-holder/quote} (the firm quote, with the
 * transaction) with {@code taker} = the vault and {@code slippageBps}. Headers {@code 0x-api-key} and
 * {@code 0x-version: v2}. "No route" is a 200 with {@code liquidityAvailable: false}. 0x is the one vendor that states
 * a minimum ({@code minBuyAmount}). The vault approves the router it calls, so a quote whose {@code allowanceTarget} is
 * not the transaction's {@code to} cannot work and is refused.
 */
public final class ZeroExClient implements RouteSource {
    private final AggregatorSettings s;
    private final HttpJson http;
    private final Json json;

    public ZeroExClient(AggregatorSettings s) {
        this.s = s;
        Map<String, String> headers = new LinkedHashMap<>();
        s.apiKey().ifPresent(k -> headers.put("0x-api-key", k.reveal()));
        headers.put("0x-version", "v2");
        this.http = new HttpJson(name(), s.baseUrl(), s.timeout(), headers);
        this.json = new Json(name());
    }

    @Override
    public String name() {
        return Vendor.ZERO_X.id();
    }

    @Override
    public List<Quote> quote(QuoteRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("chainId", Long.toString(s.chainId()));
        q.put("sellToken", r.sell().address().hex());
        q.put("buyToken", r.buy().address().hex());
        q.put("sellAmount", r.amountIn().toString());
        q.put("taker", r.vault().hex());
        q.put("slippageBps", Integer.toString(r.slippageBps()));
        HttpJson.Answer a = http.get("/swap/allowance-holder/quote", q);
        JsonNode b = a.body();
        if (!a.ok()) {
            throw new AggregatorException(
                    name(),
                    Kind.REJECTED,
                    "HTTP " + a.status() + " " + json.optText(b, "name").orElse("") + ": "
                            + json.optText(b, "message").orElse("")
                            + json.opt(b, "data.details").map(d -> " " + d).orElse(""));
        }
        JsonNode available = json.req(b, "liquidityAvailable");
        if (!available.isBoolean()) throw json.malformed("liquidityAvailable is not a boolean");
        if (!available.booleanValue()) return List.of();
        BigInteger out = json.amount(b, "buyAmount");
        BigInteger min = json.amount(b, "minBuyAmount");
        if (out.signum() == 0) return List.of();
        JsonNode tx = json.req(b, "transaction");
        Address to = json.address(tx, "to");
        Optional<Address> spender = json.opt(b, "allowanceTarget").isPresent()
                ? Optional.of(json.address(b, "allowanceTarget"))
                : json.opt(b, "issues.allowance.spender").map(x -> json.address(b, "issues.allowance.spender"));
        if (spender.isPresent() && !spender.get().equals(to)) {
            throw AggregatorQuote.rejected(
                    name(), "allowanceTarget " + spender.get() + " is not the transaction's target " + to);
        }
        return List.of(AggregatorQuote.of(
                name(),
                r,
                to,
                json.hex(tx, "data"),
                json.optAmount(tx, "value").orElse(BigInteger.ZERO),
                out,
                Optional.of(min),
                json.gas(tx, "gas")));
    }
}
