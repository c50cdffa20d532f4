package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.Vendor;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Odos: {@code POST /sor/quote/v2} returns a {@code pathId} that {@code POST /sor/assemble} turns into a transaction
 * within 60 s. Output amounts are strings, {@code gasEstimate} and the transaction's {@code gas} and {@code gasPrice}
 * numbers. Errors {@code {detail, traceId, errorCode}}: 2000 "no viable path", 4001 unknown or expired path. Splits
 * across two V3 pools (in quarters) when that pays more.
 */
final class OdosApi implements VendorApi {
    static final Duration PATH_LIFETIME = Duration.ofSeconds(60);
    private final Desk desk;
    private final Map<String, Path> paths = new ConcurrentHashMap<>();

    private record Path(LocalVenues.Route route, Address user, int slippageBps, Instant at) {}

    OdosApi(Desk desk) {
        this.desk = desk;
    }

    @Override
    public Vendor vendor() {
        return Vendor.ODOS;
    }

    @Override
    public Reply handle(Call c) {
        if (c.method().equals("POST") && c.path().equals("/sor/quote/v2")) return quote(c);
        if (c.method().equals("POST") && c.path().equals("/sor/assemble")) return assemble(c);
        throw new Call.ApiError(404, "Not Found", null);
    }

    private Reply quote(Call c) {
        if (c.field("chainId").asLong() != desk.chainId()) throw new Call.ApiError(400, "Unsupported chain", "chainId");
        JsonNode in = c.field("inputTokens");
        JsonNode out = c.field("outputTokens");
        if (!in.isArray() || in.size() != 1 || !out.isArray() || out.size() != 1) {
            throw new Call.ApiError(400, "exactly one input and one output token are emulated", "inputTokens");
        }
        if (out.get(0).path("proportion").asDouble() != 1.0)
            throw new Call.ApiError(400, "output proportions must sum to 1", "outputTokens");
        Address sell = Desk.address(c, in.get(0).path("tokenAddress").asText(), "inputTokens");
        Address buy = Desk.address(c, out.get(0).path("tokenAddress").asText(), "outputTokens");
        BigInteger amount = Desk.amount(in.get(0).path("amount").asText(), "inputTokens.amount");
        Address user = Desk.address(c, c.field("userAddr").asText(), "userAddr");
        int slippage = Desk.percentToBps(c.field("slippageLimitPercent").asText(), "slippageLimitPercent");
        Optional<LocalVenues.Route> route = desk.noRoute(vendor()) || !desk.venues.serves(sell, buy)
                ? Optional.empty()
                : desk.venues.best(sell, buy, amount, 4);
        if (route.isEmpty()) throw new Call.ApiError(400, "Routing failed: no viable path found", "2000");
        LocalVenues.Route r = route.get();
        String pathId = Desk.randomHex(16).substring(2);
        Instant at = desk.emulator.consumeStaleOnce(vendor())
                ? desk.clock.instant().minus(PATH_LIFETIME.multipliedBy(2))
                : desk.clock.instant();
        paths.put(pathId, new Path(r, user, slippage, at));
        ObjectNode o = Desk.JSON.createObjectNode();
        o.putArray("inTokens").add(sell.hex());
        o.putArray("outTokens").add(buy.hex());
        o.putArray("inAmounts").add(amount.toString());
        o.putArray("outAmounts").add(desk.reported(vendor(), r.amountOut()).toString());
        desk.number(o, "gasEstimate", BigInteger.valueOf(r.gas()));
        o.put("dataGasEstimate", 0);
        o.put("gweiPerGas", 1);
        o.put("gasEstimateValue", 0.5);
        o.putArray("inValues").add(1000.0);
        o.putArray("outValues").add(999.0);
        o.put("netOutValue", 998.5);
        o.put("priceImpact", 0.1);
        o.put("percentDiff", 0);
        o.put("partnerFeePercent", 0);
        o.put("pathId", pathId);
        o.putNull("pathViz");
        o.put("blockNumber", desk.venues.blockNumber());
        return Reply.json(200, o);
    }

    private Reply assemble(Call c) {
        String id = c.field("pathId").asText();
        Path p = paths.remove(id);
        if (p == null || Duration.between(p.at(), desk.clock.instant()).compareTo(PATH_LIFETIME) > 0) {
            throw new Call.ApiError(400, "Path ID not found or expired", "4001");
        }
        Address user = Desk.address(c, c.field("userAddr").asText(), "userAddr");
        if (!user.equals(p.user())) throw new Call.ApiError(400, "userAddr does not match the quote", "4002");
        Address receiver = Optional.ofNullable(c.body().get("receiver"))
                .map(x -> Desk.address(c, x.asText(), "receiver"))
                .orElse(user);
        LocalVenues.Route r = p.route();
        BigInteger reported = desk.reported(vendor(), r.amountOut());
        ObjectNode o = Desk.JSON.createObjectNode();
        o.putNull("deprecated");
        o.put("blockNumber", desk.venues.blockNumber());
        desk.number(o, "gasEstimate", BigInteger.valueOf(r.gas()));
        o.put("gasEstimateValue", 0.5);
        o.putArray("inputTokens")
                .addObject()
                .put("tokenAddress", r.tokenIn().hex())
                .put("amount", r.amountIn().toString());
        ObjectNode outTok = o.putArray("outputTokens")
                .addObject()
                .put("tokenAddress", r.tokenOut().hex());
        desk.string(outTok, "amount", reported);
        o.put("netOutValue", 998.5);
        o.putArray("outValues").add("999.0");
        ObjectNode tx = o.putObject("transaction");
        desk.number(tx, "gas", BigInteger.valueOf(r.gas() * 2)); // Odos suggests twice its naive estimate as the limit
        desk.number(tx, "gasPrice", Desk.GAS_PRICE);
        desk.string(tx, "value", BigInteger.ZERO);
        tx.put("to", desk.router(vendor(), r).hex());
        tx.put("from", user.hex());
        tx.put("data", Desk.hex(desk.calldata(vendor(), r, receiver, p.slippageBps())));
        tx.put("nonce", 0);
        tx.put("chainId", desk.chainId());
        o.putNull("simulation");
        return Reply.json(200, o);
    }

    @Override
    public ObjectNode error(int status, String message, String field) {
        ObjectNode e = Desk.JSON.createObjectNode();
        e.put("detail", message);
        e.put("traceId", UUID.randomUUID().toString());
        int code = field != null && field.matches("\\d{4}")
                ? Integer.parseInt(field)
                : status == 429 ? 4290 : status >= 500 ? 5000 : 4000;
        e.put("errorCode", code);
        return e;
    }
}
