package io.unwind.app.cli;

import io.unwind.chain.vault.VaultEvents.Decoded;
import io.unwind.chain.vault.VaultEvents.Param;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How `unwind events` shows a decoded vault or factory event: a line for people, or an object for --json. */
final class EventText {
    private EventText() {}

    /** For --json: amounts as base-unit strings, addresses lower-case. */
    static JsonShapes.Event json(Decoded d) {
        Map<String, Object> args = new LinkedHashMap<>();
        d.values().forEach((k, v) -> args.put(k, v instanceof BigInteger b ? b.toString() : v));
        return new JsonShapes.Event(
                d.log().blockNumber(),
                d.log().txHash() == null ? null : d.log().txHash().hex(),
                d.log().logIndex(),
                d.log().address().hex(),
                d.name(),
                args);
    }

    /** For people: amounts with their tokens, ratios as percentages. */
    @SuppressWarnings("unchecked")
    static String text(Decoded d, Optional<Token> collateral, Optional<Token> loan) {
        List<String> parts = new ArrayList<>();
        for (Param p : d.params()) {
            Object v = d.values().get(p.name());
            String shown = switch (p.kind()) {
                case COLLATERAL -> amount((BigInteger) v, collateral);
                case LOAN -> amount((BigInteger) v, loan);
                case WAD -> Ltv.percent((BigInteger) v);
                case POLICY -> policy((Map<String, Object>) v);
                case GUARD -> guard((Map<String, Object>) v);
                default -> String.valueOf(v);
            };
            parts.add(p.name() + "=" + shown);
        }
        return d.name() + " " + String.join(" ", parts);
    }

    private static String amount(BigInteger v, Optional<Token> token) {
        return token.map(t -> Units.amount(t.amount(v))).orElse(v + " units");
    }

    private static String policy(Map<String, Object> p) {
        return "{trigger " + bps(p, "triggerLtvBps") + ", target " + bps(p, "targetLtvBps") + ", band "
                + bps(p, "bandBps") + ", maxSlippage " + bps(p, "maxSlippageBps") + ", maxFee " + bps(p, "maxFeeBps")
                + ", maxSell " + bps(p, "maxSellBps") + ", cooldown "
                + Units.duration(Duration.ofSeconds((Long) p.get("cooldownSeconds"))) + ", maxGasPrice "
                + Units.gwei(new BigInteger((String) p.get("maxGasPriceWei"))) + "}";
    }

    private static String guard(Map<String, Object> g) {
        String feed = (String) g.get("priceFeed");
        String price = Address.of(feed).isZero()
                ? "no price feed"
                : "feed " + feed + ", max age " + Units.duration(Duration.ofSeconds((Long) g.get("maxPriceAgeSeconds")))
                        + ", max deviation " + bps(g, "maxPriceDeviationBps");
        long window = (Long) g.get("sellWindowSeconds");
        String rate = window == 0
                ? "no rate limit"
                : "at most " + bps(g, "maxWindowSellBps") + " sold per " + Units.duration(Duration.ofSeconds(window));
        return "{" + price + ", " + rate + "}";
    }

    private static String bps(Map<String, Object> p, String key) {
        return Units.percent((Integer) p.get(key));
    }
}
