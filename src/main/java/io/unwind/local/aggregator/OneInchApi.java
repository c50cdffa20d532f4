package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.Vendor;
import java.math.BigInteger;
import java.util.Optional;
import java.util.UUID;

/**
 * 1inch Swap API v6: {@code GET /swap/v6.0/{chainId}/quote} and {@code /swap}; Bearer auth; amounts as strings,
 * {@code tx.gas} as a number; errors {@code {error, description, statusCode, requestId, meta}}. Splits across two V3
 * pools (in tenths, in one SwapRouter multicall) when that pays more.
 */
final class OneInchApi implements VendorApi {
    private final Desk desk;

    OneInchApi(Desk desk) {
        this.desk = desk;
    }

    @Override
    public Vendor vendor() {
        return Vendor.ONE_INCH;
    }

    @Override
    public Reply handle(Call c) {
        String prefix = "/swap/v6.0/" + desk.chainId();
        boolean swap = c.path().equals(prefix + "/swap");
        if (!c.method().equals("GET") || !(swap || c.path().equals(prefix + "/quote"))) {
            throw new Call.ApiError(404, "Cannot " + c.method() + " " + c.path(), null);
        }
        Address src = Desk.address(c, c.param("src"), "src");
        Address dst = Desk.address(c, c.param("dst"), "dst");
        BigInteger amount = Desk.amount(c.param("amount"), "amount");
        int slippage = swap ? Desk.percentToBps(c.param("slippage"), "slippage") : 0;
        Address from = swap ? Desk.address(c, c.param("from"), "from") : null;
        if (!desk.venues.serves(src, dst)) throw new Call.ApiError(400, "token not supported", "src");
        Optional<LocalVenues.Route> route =
                desk.noRoute(vendor()) ? Optional.empty() : desk.venues.best(src, dst, amount, 10);
        if (route.isEmpty()) throw new Call.ApiError(400, "insufficient liquidity", null);
        LocalVenues.Route r = route.get();
        ObjectNode out = Desk.JSON.createObjectNode();
        desk.string(out, "dstAmount", desk.reported(vendor(), r.amountOut()));
        if (!swap) {
            if ("true".equals(c.query().get("includeGas"))) desk.number(out, "gas", BigInteger.valueOf(r.gas()));
            return Reply.json(200, out);
        }
        Address receiver = Optional.ofNullable(c.query().get("receiver"))
                .map(x -> Desk.address(c, x, "receiver"))
                .orElse(from);
        ObjectNode tx = out.putObject("tx");
        tx.put("from", from.hex());
        tx.put("to", desk.router(vendor(), r).hex());
        tx.put("data", Desk.hex(desk.calldata(vendor(), r, receiver, slippage)));
        desk.string(tx, "value", BigInteger.ZERO);
        desk.number(tx, "gas", BigInteger.valueOf(r.gas()));
        desk.string(tx, "gasPrice", Desk.GAS_PRICE);
        return Reply.json(200, out);
    }

    @Override
    public ObjectNode error(int status, String message, String field) {
        ObjectNode e = Desk.JSON.createObjectNode();
        e.put(
                "error",
                switch (status) {
                    case 400 -> "Bad Request";
                    case 401 -> "Unauthorized";
                    case 404 -> "Not Found";
                    case 429 -> "Too Many Requests";
                    default -> "Internal Server Error";
                });
        e.put("description", message);
        e.put("statusCode", status);
        e.put("requestId", UUID.randomUUID().toString());
        var meta = e.putArray("meta");
        if (field != null) meta.addObject().put("type", field).put("value", message);
        return e;
    }
}
