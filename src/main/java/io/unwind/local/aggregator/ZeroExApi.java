package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.Vendor;
import java.math.BigInteger;
import java.util.Optional;

/**
 * 0x Swap API v2, AllowanceHolder: {@code GET /swap/allowance-holder/price} and {@code /quote}; headers
 * {@code 0x-api-key} and {@code 0x-version: v2}; amounts and gas as strings; "no route" is 200
 * {@code {liquidityAvailable: false}}; errors {@code {name, message, data: {details[]}}}. Best single pool.
 */
final class ZeroExApi implements VendorApi {
    private final Desk desk;

    ZeroExApi(Desk desk) {
        this.desk = desk;
    }

    @Override
    public Vendor vendor() {
        return Vendor.ZERO_X;
    }

    @Override
    public Reply handle(Call c) {
        boolean quote = c.path().equals("/swap/allowance-holder/quote");
        if (!c.method().equals("GET") || !(quote || c.path().equals("/swap/allowance-holder/price"))) {
            throw new Call.ApiError(404, "not found: " + c.path(), null);
        }
        if (!"v2".equals(c.header("0x-version")))
            throw new Call.ApiError(400, "0x-version header must be v2", "0x-version");
        if (Long.parseLong(c.param("chainId")) != desk.chainId())
            throw new Call.ApiError(400, "chain not supported", "chainId");
        Address sell = Desk.address(c, c.param("sellToken"), "sellToken");
        Address buy = Desk.address(c, c.param("buyToken"), "buyToken");
        BigInteger amount = Desk.amount(c.param("sellAmount"), "sellAmount");
        int slippage =
                Desk.bps(Optional.ofNullable(c.query().get("slippageBps")).orElse("100"), "slippageBps", 10_000);
        Address taker = quote ? Desk.address(c, c.param("taker"), "taker") : null;
        ObjectNode out = Desk.JSON.createObjectNode();
        Optional<LocalVenues.Route> route = desk.noRoute(vendor()) || !desk.venues.serves(sell, buy)
                ? Optional.empty()
                : desk.venues.best(sell, buy, amount, 1);
        if (route.isEmpty()) {
            out.put("liquidityAvailable", false);
            out.put("zid", Desk.randomHex(12));
            return Reply.json(200, out);
        }
        LocalVenues.Route r = route.get();
        BigInteger reported = desk.reported(vendor(), r.amountOut());
        Address router = desk.router(vendor(), r);
        out.put("liquidityAvailable", true);
        out.put("allowanceTarget", router.hex());
        out.put("blockNumber", Long.toString(desk.venues.blockNumber()));
        desk.string(out, "buyAmount", reported);
        out.put("buyToken", buy.hex());
        desk.string(out, "minBuyAmount", desk.reported(vendor(), LocalVenues.minOut(r, slippage)));
        desk.string(out, "sellAmount", amount);
        out.put("sellToken", sell.hex());
        desk.string(out, "totalNetworkFee", BigInteger.valueOf(r.gas()).multiply(Desk.GAS_PRICE));
        var issues = out.putObject("issues");
        issues.putObject("allowance").put("actual", "0").put("spender", router.hex());
        issues.putNull("balance");
        issues.put("simulationIncomplete", false);
        if (quote) {
            ObjectNode tx = out.putObject("transaction");
            tx.put("to", router.hex());
            tx.put("data", Desk.hex(desk.calldata(vendor(), r, taker, slippage)));
            desk.string(tx, "gas", BigInteger.valueOf(r.gas()));
            desk.string(tx, "gasPrice", Desk.GAS_PRICE);
            desk.string(tx, "value", BigInteger.ZERO);
        } else {
            desk.string(out, "gas", BigInteger.valueOf(r.gas()));
        }
        out.put("zid", Desk.randomHex(12));
        return Reply.json(200, out);
    }

    @Override
    public ObjectNode error(int status, String message, String field) {
        ObjectNode e = Desk.JSON.createObjectNode();
        e.put(
                "name",
                switch (status) {
                    case 400 -> "INPUT_INVALID";
                    case 401 -> "UNAUTHORIZED";
                    case 404 -> "NOT_FOUND";
                    case 429 -> "RATE_LIMITED";
                    default -> "INTERNAL_SERVER_ERROR";
                });
        e.put("message", message);
        var data = e.putObject("data");
        data.put("zid", Desk.randomHex(12));
        if (field != null)
            data.putArray("details").addObject().put("field", field).put("reason", message);
        return e;
    }
}
