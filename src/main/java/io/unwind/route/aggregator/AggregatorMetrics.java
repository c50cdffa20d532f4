package io.unwind.route.aggregator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Per-aggregator request outcomes and latency. Labels are bounded: the source is one of the five vendors, the outcome
 * one of {@link #OUTCOMES}. The breakers, rate limiters, time limiters and retries report through Resilience4j's own
 * tagged metrics ({@code resilience4j_circuitbreaker_*} etc., tag {@code name} = the source).
 */
public final class AggregatorMetrics {
    public static final String REQUESTS = "unwind_aggregator_requests_total";
    public static final String LATENCY = "unwind_aggregator_request_seconds";
    /** quoted, no_route, the {@link AggregatorException.Kind} labels, breaker_open, throttled, failed. */
    public static final String[] OUTCOMES = {
        "quoted",
        "no_route",
        "transport",
        "timeout",
        "server_error",
        "rate_limited",
        "malformed",
        "rejected",
        "breaker_open",
        "throttled",
        "failed"
    };

    private final MeterRegistry registry;

    public AggregatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void outcome(String source, String outcome, Duration took) {
        Counter.builder(REQUESTS)
                .description("Aggregator quote requests by outcome")
                .tag("source", source)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder(LATENCY)
                .description("Aggregator quote latency, both legs of two-step vendors")
                .tag("source", source)
                .register(registry)
                .record(took);
    }

    /** How many requests to {@code source} ended with {@code outcome} so far (0 if none). */
    public static double count(MeterRegistry registry, String source, String outcome) {
        Counter c = registry.find(REQUESTS)
                .tag("source", source)
                .tag("outcome", outcome)
                .counter();
        return c == null ? 0 : c.count();
    }
}
