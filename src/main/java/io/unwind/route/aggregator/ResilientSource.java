package io.unwind.route.aggregator;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.unwind.domain.route.Quote;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import io.unwind.route.SourceException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An aggregator client behind its own Resilience4j decorators, composed in the documented order
 * {@code Retry(CircuitBreaker(RateLimiter(TimeLimiter(call))))}: the time limit bounds one attempt (both legs of a
 * two-step vendor), the rate limiter refuses at once rather than wait (a round has its own deadline), the breaker
 * counts only failures of the vendor's service ({@link AggregatorException#tripsBreaker()}, and time-outs) and ignores
 * our own throttling, and a retry follows only a transport failure or a 5xx. The fallback is the other sources: the
 * keeper's route finder asks them all and skips one that fails.
 */
public final class ResilientSource implements RouteSource {
    private static final Logger log = LoggerFactory.getLogger(ResilientSource.class);

    private final RouteSource client;
    private final CircuitBreaker breaker;
    private final RateLimiter limiter;
    private final TimeLimiter timeLimiter;
    private final Retry retry;
    private final AggregatorMetrics metrics;
    private final ExecutorService executor;
    private final java.util.Optional<ApiKey> key;

    ResilientSource(
            RouteSource client,
            CircuitBreaker breaker,
            RateLimiter limiter,
            TimeLimiter timeLimiter,
            Retry retry,
            AggregatorMetrics metrics,
            ExecutorService executor,
            java.util.Optional<ApiKey> key) {
        this.key = key;
        this.client = client;
        this.breaker = breaker;
        this.limiter = limiter;
        this.timeLimiter = timeLimiter;
        this.retry = retry;
        this.metrics = metrics;
        this.executor = executor;
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                log.warn(
                        "aggregator {}: circuit breaker opened after repeated failures; other sources carry on",
                        name());
            } else {
                log.info("aggregator {}: circuit breaker {}", name(), e.getStateTransition());
            }
        });
    }

    @Override
    public String name() {
        return client.name();
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public List<Quote> quote(QuoteRequest request) {
        Callable<List<Quote>> timed =
                () -> timeLimiter.executeFutureSupplier(() -> executor.submit(() -> client.quote(request)));
        Callable<List<Quote>> call = Retry.decorateCallable(
                retry,
                CircuitBreaker.decorateCallable(breaker, RateLimiter.decorateCallable(limiter, unwrapping(timed))));
        long t0 = System.nanoTime();
        String outcome = "failed";
        try {
            List<Quote> quotes = call.call();
            outcome = quotes.isEmpty() ? "no_route" : "quoted";
            return quotes;
        } catch (AggregatorException e) {
            outcome = e.kind().label();
            AggregatorException safe = e.without(key);
            log.debug("{}", safe.getMessage());
            throw safe;
        } catch (CallNotPermittedException e) {
            outcome = "breaker_open";
            throw new SourceException(name(), "circuit breaker open: not asked");
        } catch (RequestNotPermitted e) {
            outcome = "throttled";
            throw new SourceException(name(), "client-side rate limit reached: not asked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(name(), "abandoned (interrupted)", e);
        } catch (RuntimeException e) {
            throw new SourceException(name(), "failed: " + e, e);
        } catch (Exception e) {
            throw new SourceException(name(), "failed: " + e, e);
        } finally {
            metrics.outcome(name(), outcome, java.time.Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /** The client's own exception instead of the executor's wrapper; a time-out as an {@link AggregatorException}. */
    private Callable<List<Quote>> unwrapping(Callable<List<Quote>> c) {
        return () -> {
            try {
                return c.call();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            } catch (TimeoutException e) {
                throw new AggregatorException(
                        name(),
                        AggregatorException.Kind.TIMEOUT,
                        "no answer within "
                                + timeLimiter
                                        .getTimeLimiterConfig()
                                        .getTimeoutDuration()
                                        .toMillis() + " ms");
            }
        };
    }
}
