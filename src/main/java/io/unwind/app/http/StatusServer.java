package io.unwind.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keeper's HTTP face, read-only: {@code /metrics} (Prometheus), {@code /health} (liveness: the process answers),
 * {@code /ready} (readiness: fresh head, journal reachable, an endpoint usable), and whatever extra pages are added
 * with {@link #route} (the status page). Each page answers its exact path only; anything else is 404.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** One readiness check: ok, and a short reason either way. */
    public record Check(boolean ok, String detail) {}

    /** Something that answers a GET. */
    public interface Page {
        Response get(Map<String, String> query) throws Exception;
    }

    public record Response(int status, String contentType, byte[] body) {
        public static Response text(int status, String contentType, String body) {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final Map<String, Supplier<Check>> readiness;

    public StatusServer(
            String host, int port, PrometheusMeterRegistry registry, Map<String, Supplier<Check>> readiness) {
        this.readiness = readiness;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "); set http.port to a free port or http.enabled: false",
                    e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        route("/metrics", q -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        route("/health", q -> Response.text(200, "application/json", JSON.writeValueAsString(Map.of("status", "up"))));
        route("/ready", q -> {
            Map<String, Check> results = checks();
            boolean all = results.values().stream().allMatch(Check::ok);
            return Response.text(all ? 200 : 503, "application/json", JSON.writeValueAsString(readiness(results)));
        });
    }

    /**
     * /ready's body: {@code status} ("ready" or "not ready"), {@code reasons} (each failing check as "name: detail",
     * the lines an operator or {@code unwind status} shows) and {@code checks} (every check by name, with ok and
     * detail). Serialised by Jackson, so a check's detail is escaped whatever it holds.
     */
    record Readiness(String status, List<String> reasons, Map<String, Check> checks) {}

    static Readiness readiness(Map<String, Check> results) {
        Map<String, Check> checks = new LinkedHashMap<>();
        results.forEach((name, c) -> checks.put(name, new Check(c.ok(), String.valueOf(c.detail()))));
        return new Readiness(
                results.values().stream().allMatch(Check::ok) ? "ready" : "not ready",
                results.entrySet().stream()
                        .filter(e -> !e.getValue().ok())
                        .map(e -> e.getKey() + ": " + e.getValue().detail())
                        .toList(),
                checks);
    }

    /** Runs every readiness check now; a check that throws is a failed check with the exception's message. */
    public Map<String, Check> checks() {
        Map<String, Check> results = new LinkedHashMap<>();
        for (var e : readiness.entrySet()) {
            Check c;
            try {
                c = e.getValue().get();
            } catch (RuntimeException ex) {
                c = new Check(false, String.valueOf(ex.getMessage()));
            }
            results.put(e.getKey(), c);
        }
        return results;
    }

    public void route(String path, Page page) {
        server.createContext(path, ex -> handle(ex, path, page));
    }

    private static void handle(HttpExchange ex, String path, Page page) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Response r;
            if (!ex.getRequestURI()
                    .getPath()
                    .equals(path)) { // the JDK server routes by prefix: "/" would answer every path
                r = Response.text(404, "text/plain", "not found");
            } else {
                try {
                    r = page.get(query(ex.getRequestURI().getRawQuery()));
                } catch (Exception e) {
                    log.warn("{} failed: {}", ex.getRequestURI().getPath(), e.toString());
                    r = Response.text(500, "text/plain", "internal error");
                }
            }
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            // The page is self-contained: forbid everything it does not need from anywhere else.
            ex.getResponseHeaders()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status(), r.body().length == 0 || head ? -1 : r.body().length);
            if (r.body().length > 0 && !head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0)
                q.put(
                        java.net.URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
