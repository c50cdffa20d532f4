package io.unwind.app.cli;

import io.unwind.chain.Receipt;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.money.Token;
import io.unwind.domain.position.Ltv;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * Decodes the vaults' and the factory's events. The ABI types come from the generated wrappers (so a changed event
 * fails to decode loudly rather than wrongly); the parameter names and what unit each amount is in are written here,
 * from contracts/src/interfaces/IUnwindVault.sol and VaultFactory.sol.
 */
final class VaultEvents {
    /** What a parameter holds: how to show it. */
    enum Kind { ADDRESS, BOOL, COLLATERAL, LOAN, WAD, SHARES, RAW, SELECTOR, BYTES32, POLICY }

    record Param(String name, Kind kind) {}

    record Spec(Event event, List<Param> params) {}

    /** One decoded log. {@code values} are in declaration order, raw: BigInteger, String (address or hex), Boolean, or a policy map. */
    record Decoded(Receipt.LogEntry log, String name, Map<String, Object> values, List<Param> params) {}

    static final Map<String, List<Param>> PARAMS = Map.ofEntries(
            Map.entry("PolicySet", List.of(p("policy", Kind.POLICY))),
            Map.entry("KeeperSet", List.of(p("keeper", Kind.ADDRESS), p("allowed", Kind.BOOL))),
            Map.entry("RouteSet", List.of(p("router", Kind.ADDRESS), p("selector", Kind.SELECTOR), p("allowed", Kind.BOOL))),
            Map.entry("PausedSet", List.of(p("paused", Kind.BOOL))),
            Map.entry("CollateralSupplied", List.of(p("from", Kind.ADDRESS), p("amount", Kind.COLLATERAL))),
            Map.entry("CollateralWithdrawn", List.of(p("receiver", Kind.ADDRESS), p("amount", Kind.COLLATERAL))),
            Map.entry("Borrowed", List.of(p("receiver", Kind.ADDRESS), p("amount", Kind.LOAN))),
            Map.entry("Repaid", List.of(p("payer", Kind.ADDRESS), p("assets", Kind.LOAN), p("shares", Kind.SHARES))),
            Map.entry("ReserveDeposited", List.of(p("from", Kind.ADDRESS), p("amount", Kind.LOAN))),
            Map.entry("ReserveWithdrawn", List.of(p("receiver", Kind.ADDRESS), p("amount", Kind.LOAN))),
            Map.entry("Swept", List.of(p("token", Kind.ADDRESS), p("receiver", Kind.ADDRESS), p("amount", Kind.RAW))),
            Map.entry("Deleveraged", List.of(p("keeper", Kind.ADDRESS), p("router", Kind.ADDRESS), p("collateralSold", Kind.COLLATERAL),
                    p("debtRepaid", Kind.LOAN), p("proceeds", Kind.LOAN), p("keeperFee", Kind.LOAN), p("ltvBefore", Kind.WAD), p("ltvAfter", Kind.WAD))),
            Map.entry("ToppedUp", List.of(p("keeper", Kind.ADDRESS), p("debtRepaid", Kind.LOAN), p("keeperFee", Kind.LOAN), p("ltvBefore", Kind.WAD),
                    p("ltvAfter", Kind.WAD))),
            Map.entry("OwnershipTransferStarted", List.of(p("previousOwner", Kind.ADDRESS), p("newOwner", Kind.ADDRESS))),
            Map.entry("OwnershipTransferred", List.of(p("previousOwner", Kind.ADDRESS), p("newOwner", Kind.ADDRESS))),
            Map.entry("VaultCreated", List.of(p("vault", Kind.ADDRESS), p("owner", Kind.ADDRESS), p("marketId", Kind.BYTES32))));

    /** Every event of the wrappers, by topic0. */
    static final Map<String, Spec> BY_TOPIC = new HashMap<>();

    static {
        for (Class<?> c : List.of(UnwindVault.class, VaultFactory.class)) {
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Event.class) continue;
                try {
                    Event e = (Event) f.get(null);
                    List<Param> params = PARAMS.get(e.getName());
                    if (params == null || params.size() != e.getParameters().size()) {
                        throw new ExceptionInInitializerError("no parameter names for event " + e.getName() + " of " + c.getSimpleName()
                                + ": add them to VaultEvents.PARAMS");
                    }
                    BY_TOPIC.put(EventEncoder.encode(e), new Spec(e, params));
                } catch (IllegalAccessException ex) {
                    throw new ExceptionInInitializerError(ex);
                }
            }
        }
    }

    private VaultEvents() {}

    private static Param p(String name, Kind kind) {
        return new Param(name, kind);
    }

    static List<String> topics() {
        return List.copyOf(BY_TOPIC.keySet());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Optional<Decoded> decode(Receipt.LogEntry log) {
        if (log.topics().isEmpty()) return Optional.empty();
        Spec s = BY_TOPIC.get(log.topics().get(0).toLowerCase(java.util.Locale.ROOT));
        if (s == null) return Optional.empty();
        List<Type> nonIndexed = FunctionReturnDecoder.decode(log.data(), (List) s.event().getNonIndexedParameters());
        Map<String, Object> values = new LinkedHashMap<>();
        int topic = 1;
        int data = 0;
        List<TypeReference<Type>> refs = (List) s.event().getParameters();
        for (int i = 0; i < refs.size(); i++) {
            Type t = refs.get(i).isIndexed() ? FunctionReturnDecoder.decodeIndexedValue(log.topics().get(topic++), refs.get(i)) : nonIndexed.get(data++);
            values.put(s.params().get(i).name(), raw(t, s.params().get(i).kind()));
        }
        return Optional.of(new Decoded(log, s.event().getName(), values, s.params()));
    }

    private static Object raw(Type<?> t, Kind kind) {
        if (kind == Kind.POLICY) {
            UnwindVault.Policy p = (UnwindVault.Policy) t;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("triggerLtvBps", p.triggerLtvBps.intValue());
            m.put("targetLtvBps", p.targetLtvBps.intValue());
            m.put("bandBps", p.bandBps.intValue());
            m.put("maxSlippageBps", p.maxSlippageBps.intValue());
            m.put("maxFeeBps", p.maxFeeBps.intValue());
            m.put("maxSellBps", p.maxSellBps.intValue());
            m.put("cooldownSeconds", p.cooldown.longValue());
            m.put("maxGasPriceWei", p.maxGasPrice.toString());
            return m;
        }
        Object v = t.getValue();
        if (v instanceof byte[] b) return Numeric.toHexString(b);
        return v;
    }

    /** For --json: amounts as base-unit strings, addresses lower-case. */
    static Map<String, Object> json(Decoded d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("block", d.log().blockNumber());
        m.put("tx", d.log().txHash() == null ? null : d.log().txHash().hex());
        m.put("logIndex", d.log().logIndex());
        m.put("contract", d.log().address().hex());
        m.put("event", d.name());
        Map<String, Object> args = new LinkedHashMap<>();
        d.values().forEach((k, v) -> args.put(k, v instanceof BigInteger b ? b.toString() : v));
        m.put("args", args);
        return m;
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
        return "{trigger " + Units.percent((Integer) p.get("triggerLtvBps")) + ", target " + Units.percent((Integer) p.get("targetLtvBps"))
                + ", band " + Units.percent((Integer) p.get("bandBps")) + ", maxSlippage " + Units.percent((Integer) p.get("maxSlippageBps"))
                + ", maxFee " + Units.percent((Integer) p.get("maxFeeBps")) + ", maxSell " + Units.percent((Integer) p.get("maxSellBps"))
                + ", cooldown " + Units.duration(Duration.ofSeconds((Long) p.get("cooldownSeconds"))) + ", maxGasPrice "
                + Units.gwei(new BigInteger((String) p.get("maxGasPriceWei"))) + "}";
    }
}
