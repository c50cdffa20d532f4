package io.unwind.route.aggregator;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.unwind.route.RouteSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/** Builds the aggregator route sources from their settings: one client per vendor, each behind its own decorators. */
public final class Aggregators {
    /** Breaker: over the last 10 calls, at least 4, half of them failing opens it for 30 s; one trial call then. */
    static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(4)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .permittedNumberOfCallsInHalfOpenState(1)
            .recordException(
                    e -> e instanceof TimeoutException || (e instanceof AggregatorException a && a.tripsBreaker()))
            .ignoreExceptions(RequestNotPermitted.class)
            .build();

    private Aggregators() {}

    /** The bare HTTP client for one vendor, without decorators. */
    public static RouteSource client(AggregatorSettings s) {
        return switch (s.vendor()) {
            case ONE_INCH -> new OneInchClient(s);
            case ZERO_X -> new ZeroExClient(s);
            case PARASWAP -> new ParaSwapClient(s);
            case ODOS -> new OdosClient(s);
            case KYBERSWAP -> new KyberSwapClient(s);
        };
    }

    /**
     * Every configured aggregator behind its breaker, rate limiter, time limiter and retry, reporting to
     * {@code registry}.
     */
    public static List<ResilientSource> build(List<AggregatorSettings> settings, MeterRegistry registry) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(BREAKER);
        RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
        TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
        RetryRegistry retries = RetryRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(registry);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        AggregatorMetrics metrics = new AggregatorMetrics(registry);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        List<ResilientSource> out = new ArrayList<>();
        for (AggregatorSettings s : settings) {
            String name = s.vendor().id();
            out.add(new ResilientSource(
                    client(s),
                    breakers.circuitBreaker(name),
                    limiters.rateLimiter(name, rateLimit(s.requestsPerSecond())),
                    timeLimiters.timeLimiter(
                            name,
                            TimeLimiterConfig.custom()
                                    .timeoutDuration(s.timeout())
                                    .cancelRunningFuture(true)
                                    .build()),
                    retries.retry(
                            name,
                            RetryConfig.custom()
                                    .maxAttempts(1 + s.retries())
                                    .waitDuration(Duration.ofMillis(100))
                                    .retryOnException(e -> e instanceof AggregatorException a
                                            && a.kind().retryable())
                                    .build()),
                    metrics,
                    executor,
                    s.apiKey()));
        }
        return out;
    }

    /** {@code rps} requests per second, refused at once when used up: a round does not wait for permits. */
    static RateLimiterConfig rateLimit(double rps) {
        RateLimiterConfig.Builder b = RateLimiterConfig.custom().timeoutDuration(Duration.ZERO);
        if (rps >= 1) {
            return b.limitForPeriod((int) Math.round(rps))
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .build();
        }
        return b.limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofMillis(Math.round(1000 / rps)))
                .build();
    }
}
