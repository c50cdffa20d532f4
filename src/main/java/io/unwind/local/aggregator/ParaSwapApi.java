package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.route.aggregator.Vendor;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ParaSwap (Velora) 6.2: {@code GET /prices} returns a priceRoute (with an {@code hmac} the build step checks, so it
 * must come back verbatim), {@code POST /transactions/{network}} builds it; a priceRoute older than 30 s is refused
 * with {@code {error: "Price Timeout"}}. Errors are {@code {error: "..."}}. Best single pool.
 */
final class ParaSwapApi implements VendorApi {
    static final Duration PRICE_ROUTE_LIFETIME = Duration.ofSeconds(30);
    private final Desk desk;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    private record Issued(JsonNode priceRoute, LocalVenues.Route route, Instant at) {}

    ParaSwapApi(Desk desk) {
        this.desk = desk;
    }

    @Override
    public Vendor vendor() {
        return Vendor.PARASWAP;
    }

    @Override
    public Reply handle(Call c) {
        if (c.method().equals("GET") && c.path().equals("/prices")) return prices(c);
        if (c.method().equals("POST") && c.path().equals("/transactions/" + desk.chainId())) return transactions(c);
        throw new Call.ApiError(404, "Not Found", null);
    }

    private Reply prices(Call c) {
        if (!"6.2".equals(c.query().get("version"))) throw new Call.ApiError(400, "Invalid version", "version");
        if (!"SELL".equals(c.param("side"))) throw new Call.ApiError(400, "Invalid side", "side");
        if (Long.parseLong(c.param("network")) != desk.chainId())
            throw new Call.ApiError(400, "Invalid network", "network");
        Address src = Desk.address(c, c.param("srcToken"), "srcToken");
        Address dest = Desk.address(c, c.param("destToken"), "destToken");
        BigInteger amount = Desk.amount(c.param("amount"), "amount");
        checkDecimals(src, c.param("srcDecimals"), "srcDecimals");
        checkDecimals(dest, c.param("destDecimals"), "destDecimals");
        Optional<LocalVenues.Route> route = desk.noRoute(vendor()) || !desk.venues.serves(src, dest)
                ? Optional.empty()
                : desk.venues.best(src, dest, amount, 1);
        if (route.isEmpty()) throw new Call.ApiError(400, "No routes found with enough liquidity", null);
        LocalVenues.Route r = route.get();
        Address router = desk.router(vendor(), r);
        ObjectNode p = Desk.JSON.createObjectNode();
        p.put("blockNumber", desk.venues.blockNumber());
        p.put("network", desk.chainId());
        p.put("srcToken", src.hex());
        p.put("srcDecimals", decimals(src));
        desk.string(p, "srcAmount", amount);
        p.put("destToken", dest.hex());
        p.put("destDecimals", decimals(dest));
        desk.string(p, "destAmount", desk.reported(vendor(), r.amountOut()));
        var best = p.putArray("bestRoute").addObject();
        best.put("percent", 100);
        var swap = best.putArray("swaps").addObject();
        swap.put("srcToken", src.hex()).put("destToken", dest.hex());
        swap.putArray("swapExchanges")
                .addObject()
                .put("exchange", r.legs().get(0).v3() ? "UniswapV3" : "UniswapV2")
                .put("percent", 100)
                .put("srcAmount", amount.toString())
                .put("destAmount", r.amountOut().toString());
        desk.string(p, "gasCost", BigInteger.valueOf(r.gas()));
        p.put("gasCostUSD", "0.5");
        p.put("side", "SELL");
        p.put("version", "6.2");
        p.put("contractAddress", router.hex());
        p.put("tokenTransferProxy", router.hex());
        p.put("contractMethod", r.legs().get(0).v3() ? "swapExactAmountInOnUniswapV3" : "swapExactAmountInOnUniswapV2");
        p.put("partnerFee", 0);
        p.put("partner", "anon");
        p.put("maxImpactReached", false);
        String hmac = Desk.randomHex(20).substring(2);
        p.put("hmac", hmac);
        Instant at = desk.emulator.consumeStaleOnce(vendor())
                ? desk.clock.instant().minus(PRICE_ROUTE_LIFETIME.multipliedBy(2))
                : desk.clock.instant();
        issued.put(hmac, new Issued(canonical(p), r, at));
        ObjectNode out = Desk.JSON.createObjectNode();
        out.set("priceRoute", p);
        return Reply.json(200, out);
    }

    private Reply transactions(Call c) {
        if (!"true".equals(c.query().get("ignoreChecks"))) {
            // The real API checks the user's balance and allowance; the vault has neither before its callback.
            throw new Call.ApiError(400, "Not enough balance", "userAddress");
        }
        JsonNode priceRoute = c.field("priceRoute");
        Issued i = Optional.ofNullable(priceRoute.get("hmac"))
                .map(h -> issued.get(h.asText()))
                .orElse(null);
        if (i == null || !i.priceRoute().equals(canonical(priceRoute)))
            throw new Call.ApiError(400, "Invalid priceRoute (altered or unknown)", "priceRoute");
        if (Duration.between(i.at(), desk.clock.instant()).compareTo(PRICE_ROUTE_LIFETIME) > 0)
            throw new Call.ApiError(400, "Price Timeout", "priceRoute");
        Address user = Desk.address(c, c.field("userAddress").asText(), "userAddress");
        if (!c.field("srcAmount").asText().equals(i.route().amountIn().toString()))
            throw new Call.ApiError(400, "srcAmount does not match the priceRoute", "srcAmount");
        int slippage = Desk.bps(c.field("slippage").asText(), "slippage", 10_000);
        Address receiver = Optional.ofNullable(c.body().get("receiver"))
                .map(x -> Desk.address(c, x.asText(), "receiver"))
                .orElse(user);
        ObjectNode tx = Desk.JSON.createObjectNode();
        tx.put("from", user.hex());
        tx.put("to", desk.router(vendor(), i.route()).hex());
        desk.string(tx, "value", BigInteger.ZERO);
        tx.put("data", Desk.hex(desk.calldata(vendor(), i.route(), receiver, slippage)));
        desk.string(tx, "gasPrice", Desk.GAS_PRICE);
        tx.put("chainId", desk.chainId());
        return Reply.json(200, tx);
    }

    /** The node as the parser reads its text, so that numbers compare by value whatever node type built them. */
    static JsonNode canonical(JsonNode n) {
        try {
            return Desk.JSON.readTree(n.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkDecimals(Address token, String given, String field) {
        if (decimals(token) != Desk.bps(given, field, 77)) throw new Call.ApiError(400, "Invalid " + field, field);
    }

    private int decimals(Address a) {
        var m = desk.venues.market();
        Token t = a.equals(m.collateral().address()) ? m.collateral() : m.loan();
        return t.decimals();
    }

    @Override
    public ObjectNode error(int status, String message, String field) {
        ObjectNode e = Desk.JSON.createObjectNode();
        e.put("error", message);
        return e;
    }
}
