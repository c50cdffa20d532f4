package io.unwind.chain;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator is told about RPC endpoints going down and coming back, in a few plain lines however long the
 * outage: one WARN when an endpoint stops answering (and whether the keeper holds or uses another endpoint), a short
 * reminder at most every {@code repeatEvery} while it stays down, with how many calls and ticks failed meanwhile, and
 * one INFO with the outage's length when it answers again. The failures themselves are expected and stay at DEBUG.
 *
 * <p>Thread-safe: calls fail on many threads at once.
 */
public final class RpcOutageLog {
    private static final Logger log = LoggerFactory.getLogger(RpcOutageLog.class);
    private static final Pattern HTTP_STATUS = Pattern.compile("Invalid response received: (\\d{3})");

    private final Clock clock;
    private final Duration repeatEvery;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final Map<String, Outage> down = new LinkedHashMap<>();

    private static final class Outage {
        final Instant since;
        Instant lastSaid;
        String reason;
        long failedCalls = 1;
        long failedTicks;

        Outage(Instant since, String reason) {
            this.since = since;
            this.lastSaid = since;
            this.reason = reason;
        }
    }

    public RpcOutageLog(Clock clock, Duration repeatEvery) {
        this(clock, repeatEvery, log::warn, log::info);
    }

    RpcOutageLog(Clock clock, Duration repeatEvery, Consumer<String> warn, Consumer<String> info) {
        this.clock = clock;
        this.repeatEvery = repeatEvery;
        this.warn = warn;
        this.info = info;
    }

    /** Keeps track but says nothing: for short-lived clients (the CLI) that report failures themselves. */
    public static RpcOutageLog silent() {
        return new RpcOutageLog(Clock.systemUTC(), Duration.ofDays(1), m -> {}, m -> {});
    }

    /**
     * A call to {@code endpoint} failed for a transport reason (after its retries).
     *
     * @param otherUsable names the endpoints the keeper can use meanwhile, if any
     */
    synchronized void failed(String endpoint, Throwable cause, Optional<String> otherUsable) {
        Instant now = clock.instant();
        String reason = inWords(cause);
        Outage o = down.get(endpoint);
        String meanwhile = otherUsable
                .map(others -> "using " + others + " meanwhile")
                .orElse("holding, no action can be sent until it is back");
        if (o == null) {
            down.put(endpoint, new Outage(now, reason));
            warn.accept("rpc endpoint " + endpoint + " down: " + reason + "; " + meanwhile);
            return;
        }
        o.failedCalls++;
        o.reason = reason;
        if (Duration.between(o.lastSaid, now).compareTo(repeatEvery) >= 0) {
            o.lastSaid = now;
            warn.accept("rpc endpoint " + endpoint + " still down after " + seconds(o.since, now) + ": " + reason + "; "
                    + o.failedTicks + " tick(s) and " + o.failedCalls + " call(s) failed so far; " + meanwhile);
        }
    }

    /** A call to {@code endpoint} was answered: if it was down, it is back. */
    synchronized void answered(String endpoint) {
        Outage o = down.remove(endpoint);
        if (o == null) return;
        info.accept("rpc endpoint " + endpoint + " is back after " + seconds(o.since, clock.instant()) + " (" + o.reason
                + "; " + o.failedTicks + " tick(s) and " + o.failedCalls + " call(s) failed meanwhile)");
    }

    /** A tick failed or could not run: counted against every endpoint that is down, if any; returns whether one is. */
    public synchronized boolean tickFailed() {
        down.values().forEach(o -> o.failedTicks++);
        return !down.isEmpty();
    }

    /** Whether some endpoint is down now. */
    public synchronized boolean anyDown() {
        return !down.isEmpty();
    }

    /** Whether {@code endpoint} is down now. */
    public synchronized boolean isDown(String endpoint) {
        return down.containsKey(endpoint);
    }

    private static String seconds(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() + " s";
    }

    /** A transport failure as an operator would say it: "connection refused", "no answer within 10 s", "HTTP 503". */
    static String inWords(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) return "connection refused";
            if (c instanceof NoRouteToHostException) return "no route to the host";
            if (c instanceof UnknownHostException) return "unknown host " + c.getMessage();
            if (c instanceof SocketTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException
                    || c instanceof java.io.InterruptedIOException) {
                return "no answer within the call timeout";
            }
            if (c instanceof java.io.EOFException) return "the connection closed without an answer";
            String m = c.getMessage() == null ? "" : c.getMessage();
            Matcher s = HTTP_STATUS.matcher(m);
            if (s.find()) return "HTTP " + s.group(1);
            if (m.toLowerCase(Locale.ROOT).contains("unexpected end of stream"))
                return "the connection closed without an answer";
            if (c instanceof RpcEndpoint.TransportException && !m.isEmpty())
                return Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
