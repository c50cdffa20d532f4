package io.unwind.tx;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendErrorClass;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transaction layer's metrics. Names are Micrometer's dotted form; Prometheus shows them with underscores and
 * counters with {@code _total} (unwind_tx_submitted_total, unwind_tx_state, ...). Labels are bounded: enum values, and
 * the sender (one per configured key).
 */
public final class TxMetrics {
    public static final String SUBMITTED = "unwind.tx.submitted";
    public static final String STATE = "unwind.tx.state";
    public static final String REPLACEMENTS = "unwind.tx.replacements";
    public static final String FEE_PAID_WEI = "unwind.tx.fee.paid.wei";
    public static final String BROADCAST_ERRORS = "unwind.tx.broadcast.errors";
    public static final String CONFIRMED = "unwind.tx.confirmed";
    /** Keeper actions mined and reverted: gas paid for nothing (Prometheus: unwind_keeper_reverted_total). */
    public static final String KEEPER_REVERTED = "unwind.keeper.reverted";

    public static final String REORGED = "unwind.tx.reorged";
    public static final String NONCE_TAKEN = "unwind.tx.nonce.taken";
    public static final String HASH_MISMATCH = "unwind.tx.hash.mismatch";
    public static final String ABANDONED = "unwind.tx.abandoned";

    private final MeterRegistry registry;
    private final Map<Address, Map<TxState, AtomicLong>> states = new ConcurrentHashMap<>();

    public TxMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void submitted(TxKind kind) {
        Counter.builder(SUBMITTED)
                .description("transactions journaled")
                .tag("kind", kind.name())
                .register(registry)
                .increment();
    }

    void replaced() {
        Counter.builder(REPLACEMENTS)
                .description("replacements signed at an existing nonce")
                .register(registry)
                .increment();
    }

    void broadcastError(SendErrorClass cls) {
        Counter.builder(BROADCAST_ERRORS)
                .description("broadcast answers other than an acceptance, by class")
                .tag("class", cls.name())
                .register(registry)
                .increment();
    }

    void confirmed(boolean succeeded, Wei feePaid, io.unwind.domain.tx.TxKind kind) {
        Counter.builder(CONFIRMED)
                .description("transactions mined")
                .tag("result", succeeded ? "success" : "reverted")
                .register(registry)
                .increment();
        Counter reverted = Counter.builder(KEEPER_REVERTED)
                .description("keeper transactions mined and reverted, by kind: their gas paid for nothing")
                .tag("kind", kind.label())
                .register(registry);
        if (!succeeded) reverted.increment();
        Counter.builder(FEE_PAID_WEI)
                .description("gas fees paid for mined transactions, in wei")
                .register(registry)
                .increment(feePaid.value().doubleValue());
    }

    void reorged() {
        Counter.builder(REORGED)
                .description("mined transactions whose block left the chain")
                .register(registry)
                .increment();
    }

    void nonceTaken() {
        Counter.builder(NONCE_TAKEN)
                .description("transactions whose nonce another transaction used")
                .register(registry)
                .increment();
    }

    void abandoned() {
        Counter.builder(ABANDONED)
                .description("journaled actions given up before signing: no longer wanted when their turn came")
                .register(registry)
                .increment();
    }

    void hashMismatch() {
        Counter.builder(HASH_MISMATCH)
                .description("nodes that reported a hash other than the one signed")
                .register(registry)
                .increment();
    }

    /** Sets the state gauge of {@code sender} to {@code counts}. */
    void states(Address sender, Map<TxState, Long> counts) {
        Map<TxState, AtomicLong> gauges = states.computeIfAbsent(sender, s -> {
            Map<TxState, AtomicLong> m = new EnumMap<>(TxState.class);
            for (TxState st : TxState.values()) {
                AtomicLong v = new AtomicLong();
                m.put(st, v);
                Gauge.builder(STATE, v, AtomicLong::get)
                        .description("journaled transactions by state")
                        .tags(Tags.of("state", st.name(), "sender", s.hex()))
                        .register(registry);
            }
            return m;
        });
        counts.forEach((st, n) -> gauges.get(st).set(n));
    }
}
