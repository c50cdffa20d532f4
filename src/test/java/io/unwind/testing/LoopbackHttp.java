package io.unwind.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 for client tests: every request is recorded and answered by {@code handler}. Requests
 * are what clients really send over the socket; answers are written as a vendor's server would.
 */
public final class LoopbackHttp implements AutoCloseable {
    /** A request as it arrived: method, path, raw query (or empty), headers by lower-case name, body text. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer: status, content type and body text. */
    public record Response(int status, String contentType, String body) {
        public static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private LoopbackHttp(Function<Request, Response> handler) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        server.createContext("/", ex -> answer(ex, handler));
        server.start();
    }

    public static LoopbackHttp start(Function<Request, Response> handler) {
        return new LoopbackHttp(handler);
    }

    /** The server's base URL followed by {@code prefix} (empty, or starting with "/"). */
    public URI uri(String prefix) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange ex, Function<Request, Response> handler) throws IOException {
        try (ex) {
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = ex.getRequestURI().getRawQuery();
            Request r = new Request(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    query == null ? "" : query,
                    Map.copyOf(headers),
                    body);
            requests.add(r);
            Response out = handler.apply(r);
            byte[] b = out.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", out.contentType());
            ex.sendResponseHeaders(out.status(), b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
