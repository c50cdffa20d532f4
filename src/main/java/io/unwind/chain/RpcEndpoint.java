package io.unwind.chain;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * One JSON-RPC endpoint: its HTTP client with a per-call time limit, its own circuit breaker and a retry with
 * exponential backoff, composed as Retry(CircuitBreaker(call)). Only transport failures (I/O, timeouts, HTTP 429/5xx,
 * garbage) count against it; a JSON-RPC error answer such as a revert is a valid answer.
 */
public final class RpcEndpoint {

    /** What the keeper knows about the endpoint. */
    public enum Status {
        UNVERIFIED,
        ALIVE,
        UNREACHABLE,
        WRONG_CHAIN,
        OUT_OF_SYNC
    }

    private final String name;
    private final URI url;
    private final HttpService service;
    private final Web3j web3j;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final AtomicReference<Status> status = new AtomicReference<>(Status.UNVERIFIED);
    private volatile String statusDetail = "";

    public RpcEndpoint(String name, URI url, Duration callTimeout, int attempts, CircuitBreakerRegistry breakers) {
        this.name = name;
        this.url = url;
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(callTimeout)
                .connectTimeout(callTimeout)
                .readTimeout(callTimeout)
                .retryOnConnectionFailure(false)
                .build();
        this.service = new HttpService(url.toString(), http);
        this.web3j = Web3j.build(service);
        this.breaker = breakers.circuitBreaker("rpc-" + name);
        this.retry = Retry.of(
                "rpc-" + name,
                RetryConfig.custom()
                        .maxAttempts(Math.max(1, attempts))
                        .intervalFunction(io.github.resilience4j.core.IntervalFunction.ofExponentialBackoff(
                                Duration.ofMillis(50), 2.0))
                        .retryOnException(RpcEndpoint::isTransportFailure)
                        .build());
        // A breaker that closes again means the endpoint came back: verify it before trusting it.
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() != CircuitBreaker.State.OPEN) status.set(Status.UNVERIFIED);
        });
    }

    /** Runs {@code call} under this endpoint's retry and breaker. */
    public <T> T execute(Callable<T> call) throws Exception {
        return Retry.decorateCallable(retry, () -> guarded(call)).call();
    }

    /**
     * The call under the breaker. A call its own caller cancelled (the thread interrupted: a routing round that ran out
     * of time gives up its late quotes) says nothing about the endpoint: it is not counted for or against it, and is
     * not retried or tried elsewhere ({@link CallCancelled}).
     */
    private <T> T guarded(Callable<T> call) throws Exception {
        breaker.acquirePermission();
        long start = breaker.getCurrentTimestamp();
        try {
            T answer = call.call();
            breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            return answer;
        } catch (Exception e) {
            if (cancelledByCaller(e)) {
                breaker.releasePermission();
                throw new CallCancelled(e);
            }
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
            throw e;
        }
    }

    /** Whether a failure is the calling thread's own interruption, not the endpoint's doing. */
    static boolean cancelledByCaller(Throwable t) {
        if (Thread.currentThread().isInterrupted()) return true;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException
                    // Okio's "interrupted", not a call or socket timeout (also InterruptedIOExceptions, and the
                    // node's).
                    || (c instanceof java.io.InterruptedIOException
                            && !(c instanceof java.net.SocketTimeoutException)
                            && "interrupted".equals(c.getMessage()))
                    || c instanceof java.nio.channels.ClosedByInterruptException
                    || (c instanceof java.net.SocketException && "Closed by interrupt".equals(c.getMessage())))
                return true;
            if (c.getCause() == c) break;
        }
        return false;
    }

    /** A call its caller gave up on (see {@link #guarded}). */
    public static final class CallCancelled extends RuntimeException {
        CallCancelled(Throwable cause) {
            super("cancelled by its caller: " + cause, cause);
        }
    }

    public boolean permitsCalls() {
        Status s = status.get();
        if (s == Status.WRONG_CHAIN || s == Status.OUT_OF_SYNC) return false;
        CircuitBreaker.State b = breaker.getState();
        if (b == CircuitBreaker.State.FORCED_OPEN) return false;
        if (b == CircuitBreaker.State.OPEN) {
            // An open breaker moves to half-open only when a call asks for a permission after its wait: ask (and
            // give the permission back), or an endpoint that failed once would be skipped for good.
            if (!breaker.tryAcquirePermission()) return false;
            breaker.releasePermission();
        }
        return true;
    }

    static boolean isTransportFailure(Throwable t) {
        // web3j reports an HTTP status other than 2xx (a 503 from a load balancer, a 429 from a rate limiter, an
        // HTML error page) as a ClientConnectionException, which is not an IOException: it is a transport failure all
        // the same.
        return t instanceof IOException
                || t instanceof java.util.concurrent.TimeoutException
                || t instanceof TransportException
                || t instanceof org.web3j.protocol.exceptions.ClientConnectionException
                || (t.getCause() != null && t.getCause() instanceof IOException);
    }

    public String name() {
        return name;
    }

    public URI url() {
        return url;
    }

    public Web3j web3j() {
        return web3j;
    }

    public HttpService service() {
        return service;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public Status status() {
        return status.get();
    }

    public String statusDetail() {
        return statusDetail;
    }

    public void markStatus(Status s, String detail) {
        status.set(s);
        statusDetail = detail;
    }

    public void close() {
        web3j.shutdown();
    }

    /** A response that cannot be a valid answer (malformed JSON, missing fields): counts as a transport failure. */
    public static class TransportException extends RuntimeException {
        public TransportException(String message) {
            super(message);
        }
    }
}
