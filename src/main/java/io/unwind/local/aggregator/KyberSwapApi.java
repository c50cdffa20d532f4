package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.Vendor;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * KyberSwap aggregator API v1: {@code GET /{chainSlug}/api/v1/routes} returns a {@code routeSummary} (with a
 * {@code routeID} and {@code checksum}: it must come back verbatim), {@code POST /{chainSlug}/api/v1/route/build}
 * builds it. {@code slippageTolerance} defaults to 0, as at KyberSwap: a client that forgets it gets calldata whose
 * minimum is the quote itself. Answers {@code {code, message, data, requestId}}; 4008 is "route not found"; a 429
 * carries {@code x-ratelimit-*} headers. Best single pool.
 */
final class KyberSwapApi implements VendorApi {
    private final Desk desk;
    private final String slug;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    private record Issued(JsonNode summary, LocalVenues.Route route) {}

    KyberSwapApi(Desk desk, String slug) {
        this.desk = desk;
        this.slug = slug;
    }

    @Override
    public Vendor vendor() {
        return Vendor.KYBERSWAP;
    }

    @Override
    public Reply handle(Call c) {
        String base = "/" + slug + "/api/v1";
        if (c.method().equals("GET") && c.path().equals(base + "/routes")) return routes(c);
        if (c.method().equals("POST") && c.path().equals(base + "/route/build")) return build(c);
        throw new Call.ApiError(404, "Not Found", "4040");
    }

    private Reply routes(Call c) {
        Address in = Desk.address(c, c.param("tokenIn"), "tokenIn");
        Address out = Desk.address(c, c.param("tokenOut"), "tokenOut");
        BigInteger amount = Desk.amount(c.param("amountIn"), "amountIn");
        Optional<LocalVenues.Route> route = desk.noRoute(vendor()) || !desk.venues.serves(in, out)
                ? Optional.empty()
                : desk.venues.best(in, out, amount, 1);
        if (route.isEmpty()) throw new Call.ApiError(400, "route not found", "4008");
        LocalVenues.Route r = route.get();
        ObjectNode s = Desk.JSON.createObjectNode();
        s.put("tokenIn", in.hex());
        desk.string(s, "amountIn", amount);
        s.put("amountInUsd", "0");
        s.put("tokenOut", out.hex());
        desk.string(s, "amountOut", desk.reported(vendor(), r.amountOut()));
        s.put("amountOutUsd", "0");
        desk.string(s, "gas", BigInteger.valueOf(r.gas()));
        desk.string(s, "gasPrice", Desk.GAS_PRICE);
        s.put("gasUsd", "0.5");
        s.putObject("extraFee")
                .put("feeAmount", "")
                .put("chargeFeeBy", "")
                .put("isInBps", false)
                .put("feeReceiver", "");
        var hop = s.putArray("route").addArray().addObject();
        hop.put("pool", r.legs().get(0).pool().address().hex())
                .put("tokenIn", in.hex())
                .put("tokenOut", out.hex())
                .put("swapAmount", amount.toString())
                .put("amountOut", r.amountOut().toString())
                .put("exchange", r.legs().get(0).v3() ? "uniswapv3" : "uniswap")
                .put("poolType", r.legs().get(0).v3() ? "uniswapv3" : "uni");
        String routeId = UUID.randomUUID().toString();
        s.put("routeID", routeId);
        s.put("checksum", Desk.randomHex(8).substring(2));
        s.put("timestamp", desk.clock.instant().getEpochSecond());
        issued.put(routeId, new Issued(ParaSwapApi.canonical(s), r));
        ObjectNode o = ok();
        ObjectNode data = o.putObject("data");
        data.set("routeSummary", s);
        data.put("routerAddress", desk.router(vendor(), r).hex());
        return Reply.json(200, o);
    }

    private Reply build(Call c) {
        JsonNode summary = c.field("routeSummary");
        Issued i = Optional.ofNullable(summary.get("routeID"))
                .map(id -> issued.get(id.asText()))
                .orElse(null);
        if (i == null || !i.summary().equals(ParaSwapApi.canonical(summary)))
            throw new Call.ApiError(400, "routeSummary is invalid or altered", "4011");
        Address sender = Desk.address(c, c.field("sender").asText(), "sender");
        Address recipient = Desk.address(c, c.field("recipient").asText(), "recipient");
        int slippage = Optional.ofNullable(c.body().get("slippageTolerance"))
                .map(n -> Desk.bps(n.asText(), "slippageTolerance", 2000))
                .orElse(0);
        if (c.body().has("deadline") && c.body().get("deadline").asLong() < desk.venues.timestamp()) {
            throw new Call.ApiError(400, "deadline is in the past", "4001");
        }
        LocalVenues.Route r = i.route();
        ObjectNode o = ok();
        ObjectNode d = o.putObject("data");
        desk.string(d, "amountIn", r.amountIn());
        d.put("amountInUsd", "0");
        desk.string(d, "amountOut", desk.reported(vendor(), r.amountOut()));
        d.put("amountOutUsd", "0");
        desk.string(d, "gas", BigInteger.valueOf(r.gas()));
        d.put("gasUsd", "0.5");
        d.putObject("outputChange").put("amount", "0").put("percent", 0).put("level", 0);
        d.put("data", Desk.hex(desk.calldata(vendor(), r, recipient, slippage)));
        d.put("routerAddress", desk.router(vendor(), r).hex());
        desk.string(d, "transactionValue", BigInteger.ZERO);
        d.put("sender", sender.hex());
        return Reply.json(200, o);
    }

    private static ObjectNode ok() {
        ObjectNode o = Desk.JSON.createObjectNode();
        o.put("code", 0);
        o.put("message", "successfully");
        o.put("requestId", UUID.randomUUID().toString());
        return o;
    }

    @Override
    public ObjectNode error(int status, String message, String field) {
        ObjectNode e = Desk.JSON.createObjectNode();
        int code = field != null && field.matches("\\d{4}")
                ? Integer.parseInt(field)
                : status == 429 ? 4290 : status >= 500 ? 5000 : 4001;
        e.put("code", code);
        e.put("message", message);
        e.putArray("details");
        e.put("requestId", UUID.randomUUID().toString());
        return e;
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return Map.of("x-ratelimit-limit", "10", "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1");
    }
}
