package io.unwind.chain.vault;

import io.unwind.chain.Receipt;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.chain.Address;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
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
public final class VaultEvents {
    /** What a parameter holds: how to show it. */
    public enum Kind {
        ADDRESS,
        BOOL,
        COLLATERAL,
        LOAN,
        WAD,
        SHARES,
        RAW,
        SELECTOR,
        BYTES32,
        POLICY,
        GUARD,
        COUNT
    }

    public record Param(String name, Kind kind) {}

    private record Spec(Event event, List<Param> params) {}

    /**
     * One decoded log. {@code values} are in declaration order, raw: BigInteger, String (address or hex), Boolean, or a
     * policy map.
     */
    public record Decoded(Receipt.LogEntry log, String name, Map<String, Object> values, List<Param> params) {}

    /**
     * A keeper's action as its event reports it: what it sold (0 for a top-up), what it repaid, and the vault's LTV
     * before and after (WAD).
     */
    public record KeeperAction(
            Receipt.LogEntry log,
            boolean sale,
            BigInteger collateralSold,
            BigInteger debtRepaid,
            BigInteger ltvBefore,
            BigInteger ltvAfter,
            Optional<Address> movedFrom) {
        public KeeperAction(
                Receipt.LogEntry log,
                boolean sale,
                BigInteger collateralSold,
                BigInteger debtRepaid,
                BigInteger ltvBefore,
                BigInteger ltvAfter) {
            this(log, sale, collateralSold, debtRepaid, ltvBefore, ltvAfter, Optional.empty());
        }

        /** A move into this vault: {@code collateralSold} is then the collateral received, nothing was sold. */
        public boolean move() {
            return movedFrom.isPresent();
        }
    }

    private static final String DELEVERAGED = EventEncoder.encode(UnwindVault.DELEVERAGED_EVENT);
    private static final String TOPPED_UP = EventEncoder.encode(UnwindVault.TOPPEDUP_EVENT);
    private static final String COLLATERAL_RECEIVED = EventEncoder.encode(UnwindVault.COLLATERALRECEIVED_EVENT);
    private static final String VAULT_CREATED = EventEncoder.encode(VaultFactory.VAULTCREATED_EVENT);

    private static final Map<String, List<Param>> PARAMS = Map.ofEntries(
            Map.entry("PolicySet", List.of(p("policy", Kind.POLICY))),
            Map.entry("GuardSet", List.of(p("guard", Kind.GUARD))),
            Map.entry(
                    "SoftTriggerSet",
                    List.of(p("softTriggerLtvBps", Kind.RAW), p("maxLiquidationProbabilityBps", Kind.RAW))),
            Map.entry(
                    "AccessHandedOver",
                    List.of(
                            p("newOwner", Kind.ADDRESS),
                            p("kept", Kind.BOOL),
                            p("keepers", Kind.COUNT),
                            p("routes", Kind.COUNT))),
            Map.entry("KeeperSet", List.of(p("keeper", Kind.ADDRESS), p("allowed", Kind.BOOL))),
            Map.entry(
                    "RouteSet",
                    List.of(p("router", Kind.ADDRESS), p("selector", Kind.SELECTOR), p("allowed", Kind.BOOL))),
            Map.entry("PausedSet", List.of(p("paused", Kind.BOOL))),
            Map.entry("CollateralSupplied", List.of(p("from", Kind.ADDRESS), p("amount", Kind.COLLATERAL))),
            Map.entry("CollateralWithdrawn", List.of(p("receiver", Kind.ADDRESS), p("amount", Kind.COLLATERAL))),
            Map.entry("Borrowed", List.of(p("receiver", Kind.ADDRESS), p("amount", Kind.LOAN))),
            Map.entry("Repaid", List.of(p("payer", Kind.ADDRESS), p("assets", Kind.LOAN), p("shares", Kind.SHARES))),
            Map.entry("ReserveDeposited", List.of(p("from", Kind.ADDRESS), p("amount", Kind.LOAN))),
            Map.entry("ReserveWithdrawn", List.of(p("receiver", Kind.ADDRESS), p("amount", Kind.LOAN))),
            Map.entry("Swept", List.of(p("token", Kind.ADDRESS), p("receiver", Kind.ADDRESS), p("amount", Kind.RAW))),
            Map.entry(
                    "Deleveraged",
                    List.of(
                            p("keeper", Kind.ADDRESS),
                            p("router", Kind.ADDRESS),
                            p("collateralSold", Kind.COLLATERAL),
                            p("debtRepaid", Kind.LOAN),
                            p("proceeds", Kind.LOAN),
                            p("keeperFee", Kind.LOAN),
                            p("ltvBefore", Kind.WAD),
                            p("ltvAfter", Kind.WAD))),
            Map.entry(
                    "ToppedUp",
                    List.of(
                            p("keeper", Kind.ADDRESS),
                            p("debtRepaid", Kind.LOAN),
                            p("keeperFee", Kind.LOAN),
                            p("ltvBefore", Kind.WAD),
                            p("ltvAfter", Kind.WAD))),
            Map.entry("SharedReserveSet", List.of(p("sharedReserve", Kind.ADDRESS))),
            Map.entry("MovePeerSet", List.of(p("peer", Kind.ADDRESS), p("allowed", Kind.BOOL))),
            Map.entry("MoveCapSet", List.of(p("maxMoveBps", Kind.RAW))),
            Map.entry(
                    "CollateralMoved",
                    List.of(
                            p("keeper", Kind.ADDRESS),
                            p("to", Kind.ADDRESS),
                            p("amount", Kind.COLLATERAL),
                            p("ltvBefore", Kind.WAD),
                            p("ltvAfter", Kind.WAD))),
            Map.entry(
                    "CollateralReceived",
                    List.of(
                            p("from", Kind.ADDRESS),
                            p("amount", Kind.COLLATERAL),
                            p("ltvBefore", Kind.WAD),
                            p("ltvAfter", Kind.WAD))),
            Map.entry(
                    "OwnershipTransferStarted", List.of(p("previousOwner", Kind.ADDRESS), p("newOwner", Kind.ADDRESS))),
            Map.entry("OwnershipTransferred", List.of(p("previousOwner", Kind.ADDRESS), p("newOwner", Kind.ADDRESS))),
            Map.entry(
                    "VaultCreated",
                    List.of(p("vault", Kind.ADDRESS), p("owner", Kind.ADDRESS), p("marketId", Kind.BYTES32))));

    /** Every event of the wrappers, by topic0. */
    private static final Map<String, Spec> BY_TOPIC = new HashMap<>();

    static {
        for (Class<?> c : List.of(UnwindVault.class, VaultFactory.class)) {
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Event.class) continue;
                try {
                    Event e = (Event) f.get(null);
                    List<Param> params = PARAMS.get(e.getName());
                    if (params == null || params.size() != e.getParameters().size()) {
                        throw new ExceptionInInitializerError("no parameter names for event " + e.getName() + " of "
                                + c.getSimpleName()
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

    /** topic0 of every vault and factory event. */
    public static List<String> topics() {
        return List.copyOf(BY_TOPIC.keySet());
    }

    /** topic0 of the factory's VaultCreated. */
    public static String vaultCreatedTopic() {
        return VAULT_CREATED;
    }

    /** topic0 of the keeper's sale, Deleveraged. */
    public static String deleveragedTopic() {
        return DELEVERAGED;
    }

    /**
     * topic0 of the keeper's actions as the vault they protect reports them: Deleveraged, ToppedUp, and
     * CollateralReceived (a move, on its destination).
     */
    public static List<String> keeperActionTopics() {
        return List.of(DELEVERAGED, TOPPED_UP, COLLATERAL_RECEIVED);
    }

    /** The keeper action {@code log} reports, if it is a Deleveraged or ToppedUp event. */
    public static Optional<KeeperAction> keeperAction(Receipt.LogEntry log) {
        return decode(log).flatMap(d -> {
            Map<String, Object> v = d.values();
            return switch (d.name()) {
                case "Deleveraged" ->
                    Optional.of(new KeeperAction(
                            log,
                            true,
                            uint(v, "collateralSold"),
                            uint(v, "debtRepaid"),
                            uint(v, "ltvBefore"),
                            uint(v, "ltvAfter")));
                case "ToppedUp" ->
                    Optional.of(new KeeperAction(
                            log,
                            false,
                            BigInteger.ZERO,
                            uint(v, "debtRepaid"),
                            uint(v, "ltvBefore"),
                            uint(v, "ltvAfter")));
                case "CollateralReceived" ->
                    Optional.of(new KeeperAction(
                            log,
                            false,
                            uint(v, "amount"),
                            BigInteger.ZERO,
                            uint(v, "ltvBefore"),
                            uint(v, "ltvAfter"),
                            Optional.of(Address.of((String) v.get("from")))));
                default -> Optional.empty();
            };
        });
    }

    /** The vault a factory's VaultCreated event in {@code receipt} announces, if there is one. */
    public static Optional<Address> createdVault(Receipt receipt, Address factory) {
        for (Receipt.LogEntry l : receipt.logs()) {
            boolean created = !l.topics().isEmpty() && l.topics().get(0).equalsIgnoreCase(VAULT_CREATED);
            if (!l.address().equals(factory) || !created) {
                continue;
            }
            Optional<Decoded> d = decode(l);
            if (d.isPresent())
                return Optional.of(Address.of((String) d.get().values().get("vault")));
        }
        return Optional.empty();
    }

    private static BigInteger uint(Map<String, Object> values, String name) {
        return (BigInteger) values.get(name);
    }

    /** The event {@code log} holds, decoded, if it is one of the vault's or the factory's. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Optional<Decoded> decode(Receipt.LogEntry log) {
        if (log.topics().isEmpty()) return Optional.empty();
        Spec s = BY_TOPIC.get(log.topics().get(0).toLowerCase(java.util.Locale.ROOT));
        if (s == null) return Optional.empty();
        List<Type> nonIndexed =
                FunctionReturnDecoder.decode(log.data(), (List) s.event().getNonIndexedParameters());
        Map<String, Object> values = new LinkedHashMap<>();
        int topic = 1;
        int data = 0;
        List<TypeReference<Type>> refs = (List) s.event().getParameters();
        for (int i = 0; i < refs.size(); i++) {
            Type t = refs.get(i).isIndexed()
                    ? FunctionReturnDecoder.decodeIndexedValue(log.topics().get(topic++), refs.get(i))
                    : nonIndexed.get(data++);
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
        if (kind == Kind.GUARD) {
            UnwindVault.Guard g = (UnwindVault.Guard) t;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("priceFeed", g.priceFeed);
            m.put("maxPriceAgeSeconds", g.maxPriceAge.longValue());
            m.put("maxPriceDeviationBps", g.maxPriceDeviationBps.intValue());
            m.put("sellWindowSeconds", g.sellWindow.longValue());
            m.put("maxWindowSellBps", g.maxWindowSellBps.intValue());
            return m;
        }
        Object v = t.getValue();
        if (v instanceof byte[] b) return Numeric.toHexString(b);
        return v;
    }
}
