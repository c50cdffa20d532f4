package io.unwind.app.sim;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.unwind.app.metrics.KeeperMetrics;
import io.unwind.app.node.KeeperNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.route.Candidate;
import io.unwind.engine.RouteFinder;
import io.unwind.local.MarketDeployment;
import io.unwind.local.aggregator.AggregatorEmulator;
import io.unwind.route.aggregator.SwapCalldata;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Watches a simulation for tests: the keeper's registry (read after the run), every routing round, the emulator, and
 * the journal as it stood at the last block (every transaction the keeper built, signed or not).
 */
final class AggregatorScenarioWatch implements SimulationRunner.Listener {
    volatile MeterRegistry registry;
    volatile MarketDeployment market;
    volatile AggregatorEmulator emulator;
    volatile List<TxRecord> journal = List.of();
    final List<RouteFinder.Found> rounds = new CopyOnWriteArrayList<>();
    /** What each tick did about each vault, for a failing test to tell. */
    final List<String> outcomes = new CopyOnWriteArrayList<>();

    private volatile KeeperNode node;

    @Override
    public void setUp(Scenario s, MarketDeployment m, Map<Address, String> names, KeeperNode node) {
        this.node = node;
        this.registry = node.registry();
        node.onTick(
                t -> t.outcomes().forEach(o -> outcomes.add(t.block().number() + " " + o.kind() + " " + o.detail())));
        this.market = m;
    }

    @Override
    public void aggregators(AggregatorEmulator e) {
        this.emulator = e;
    }

    @Override
    public void routed(VaultHealth h, RouteFinder.Found found) {
        rounds.add(found);
    }

    @Override
    public void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {
        journal = node.journal().list(TxQuery.latest(500));
    }

    /** A sale the keeper journaled: the router the vault was to call, and what its swap's calldata commits to. */
    record JournaledSale(TxRecord tx, Address router, Optional<SwapCalldata.Terms> swap) {}

    List<JournaledSale> sales() {
        return journal.stream()
                .filter(t -> t.kind().name().equals("DELEVERAGE"))
                .map(t -> {
                    byte[] d = t.data();
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    List<Type> args = FunctionReturnDecoder.decode(
                            Numeric.toHexString(Arrays.copyOfRange(d, 4, d.length)), (List) List.of(
                                    new TypeReference<Uint256>() {},
                                    new TypeReference<org.web3j.abi.datatypes.Address>() {},
                                    new TypeReference<DynamicBytes>() {},
                                    new TypeReference<Uint256>() {},
                                    new TypeReference<Uint256>() {},
                                    new TypeReference<Uint256>() {}));
                    Address router = Address.of(args.get(1).getValue().toString());
                    byte[] swap = (byte[]) args.get(2).getValue();
                    return new JournaledSale(t, router, SwapCalldata.decode(swap, t.vault()));
                })
                .toList();
    }

    /** Route candidates of {@code source} rejected for {@code reason}, as the keeper's metrics counted them. */
    double rejected(String source, String reason) {
        var c = registry.find(KeeperMetrics.ROUTES_REJECTED)
                .tag("source", source)
                .tag("reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    /** Calls {@code source}'s circuit breaker recorded as {@code kind} (successful, failed, ignored, not_permitted). */
    double breakerCalls(String source, String kind) {
        return registry
                .find("resilience4j.circuitbreaker.calls")
                .tag("name", source)
                .tag("kind", kind)
                .meters()
                .stream()
                .mapToDouble(m -> switch (m) {
                    case FunctionCounter fc -> fc.count();
                    case io.micrometer.core.instrument.Counter cc -> cc.count();
                    case io.micrometer.core.instrument.Timer t -> t.count(); // successful and failed calls are timed
                    default -> 0;
                })
                .sum();
    }

    List<Candidate.Rejected> rejections(String source) {
        return rounds.stream()
                .flatMap(f -> f.choice().rejected().stream())
                .filter(r -> r.source().equals(source))
                .toList();
    }

    static BigInteger sum(List<SimulationReport.Action> actions) {
        return actions.stream().map(a -> new BigInteger(a.collateralSold())).reduce(BigInteger.ZERO, BigInteger::add);
    }
}
