package io.unwind.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A JSON-RPC proxy on 127.0.0.1 that stands between the keeper and anvil, over HTTP and over WebSocket, and misbehaves
 * on request: latency, dropped connections, HTTP 5xx or 429, an HTML error page, a JSON-RPC error, a node that lags (an
 * older block as "latest", and the state, nonces and receipts of that block), another chain id, a doctored answer, a
 * cut or silenced WebSocket subscription, heads that go backwards. Faults are rules, switchable at runtime, matched per
 * method (and optionally per request), for a number of requests or until cleared.
 *
 * <p>It also records what went through it: every method called, and every signed transaction broadcast, so a test can
 * say exactly what the keeper signed and sent.
 */
public final class RpcFaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final URI upstreamHttp;
    private final URI upstreamWs;
    private final HttpServer http;
    private final WsRelay ws;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> broadcasts = new CopyOnWriteArrayList<>();
    private final java.util.Set<Long> blocksAskedFor = ConcurrentHashMap.newKeySet();
    private volatile Optional<Integer> lag = Optional.empty();

    private RpcFaultProxy(URI upstreamHttp, URI upstreamWs) throws IOException, InterruptedException {
        this.upstreamHttp = upstreamHttp;
        this.upstreamWs = upstreamWs;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        http.createContext("/", this::handle);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        this.ws = new WsRelay();
        ws.start();
        if (!ws.started.await(10, TimeUnit.SECONDS))
            throw new IllegalStateException("the WebSocket relay did not start");
    }

    /** A proxy in front of {@code http} (and {@code ws}, for subscriptions). */
    public static RpcFaultProxy start(URI http, URI ws) {
        try {
            return new RpcFaultProxy(http, ws);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the proxy: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    public URI wsUrl() {
        return URI.create("ws://127.0.0.1:" + ws.getPort());
    }

    // ---------------------------------------------------------------------------------------------
    // Faults
    // ---------------------------------------------------------------------------------------------

    /** What a matching request gets instead of (or on top of) an honest answer. */
    public sealed interface Fault {
        /** Wait, then answer honestly (or as the next matching rule says). */
        record Delay(Duration delay) implements Fault {}

        /** Close the connection without an answer. */
        record Drop() implements Fault {}

        /** An HTTP error status with a body (a 503 text, a 429, an HTML error page). */
        record Status(int code, String contentType, String body) implements Fault {}

        /** A JSON-RPC error answer; with {@code forwardFirst} the request reaches the node anyway (a lying node). */
        record Error(int code, String message, boolean forwardFirst) implements Fault {}

        /** A 200 whose body is not the JSON-RPC answer (truncated, not JSON). */
        record Garbage(String body) implements Fault {}

        /** Answers the request with this result, never asking the node. */
        record Answer(UnaryOperator<JsonNode> resultForRequest) implements Fault {}

        /** Asks the node, then changes its result. */
        record Doctor(UnaryOperator<JsonNode> result) implements Fault {}
    }

    /** A fault for requests of one method (or "*"), optionally only those whose request matches, a number of times. */
    public final class Rule {
        private final String method;
        private final Predicate<JsonNode> when;
        private final AtomicInteger remaining;
        private final Fault fault;
        private final AtomicInteger hits = new AtomicInteger();

        private Rule(String method, Predicate<JsonNode> when, int times, Fault fault) {
            this.method = method;
            this.when = when;
            this.remaining = new AtomicInteger(times);
            this.fault = fault;
        }

        boolean take(JsonNode request) {
            if (!method.equals("*") && !method.equals(request.path("method").asText())) return false;
            if (!when.test(request)) return false;
            while (true) {
                int left = remaining.get();
                if (left == 0) return false;
                if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                    hits.incrementAndGet();
                    return true;
                }
            }
        }

        /** How many requests this rule has answered. */
        public int hits() {
            return hits.get();
        }

        public void remove() {
            rules.remove(this);
        }
    }

    /** Starts describing a fault for {@code method} ("*" for every method). */
    public RuleBuilder on(String method) {
        return new RuleBuilder(method);
    }

    public final class RuleBuilder {
        private final String method;
        private Predicate<JsonNode> when = r -> true;
        private int times = -1;

        private RuleBuilder(String method) {
            this.method = method;
        }

        /** Only requests that match (the whole JSON-RPC request object is tested). */
        public RuleBuilder when(Predicate<JsonNode> p) {
            this.when = p;
            return this;
        }

        /** Only eth_call requests to {@code address} (lower-case hex). */
        public RuleBuilder to(String address) {
            String a = address.toLowerCase(java.util.Locale.ROOT);
            this.when = when.and(r -> r.path("params")
                    .path(0)
                    .path("to")
                    .asText()
                    .toLowerCase(java.util.Locale.ROOT)
                    .equals(a));
            return this;
        }

        /** For the next {@code n} matching requests only. */
        public RuleBuilder times(int n) {
            this.times = n;
            return this;
        }

        public Rule fault(Fault f) {
            Rule r = new Rule(method, when, times, f);
            rules.add(r);
            return r;
        }

        public Rule delay(Duration d) {
            return fault(new Fault.Delay(d));
        }

        public Rule drop() {
            return fault(new Fault.Drop());
        }

        public Rule status(int code) {
            return fault(new Fault.Status(
                    code, "text/plain", code + " " + (code == 429 ? "Too Many Requests" : "Service Unavailable")));
        }

        public Rule htmlPage(int code) {
            return fault(new Fault.Status(
                    code,
                    "text/html",
                    "<html><head><title>" + code + " Bad Gateway</title></head>" + "<body><center><h1>" + code
                            + " Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"));
        }

        public Rule error(int code, String message) {
            return fault(new Fault.Error(code, message, false));
        }

        /** The node takes the request, but answers with an error (it got out, and the node says it did not). */
        public Rule errorAfterForwarding(int code, String message) {
            return fault(new Fault.Error(code, message, true));
        }

        public Rule garbage(String body) {
            return fault(new Fault.Garbage(body));
        }

        public Rule answer(JsonNode result) {
            return fault(new Fault.Answer(r -> result));
        }

        public Rule doctor(UnaryOperator<JsonNode> result) {
            return fault(new Fault.Doctor(result));
        }
    }

    /** Reports chain {@code id} (eth_chainId and net_version) from now on. */
    public Rule chainId(long id) {
        on("net_version").answer(NODES.textNode(Long.toString(id)));
        return on("eth_chainId").answer(NODES.textNode("0x" + Long.toHexString(id)));
    }

    /**
     * Plays a node {@code blocks} behind the chain: "latest" is that older block for block numbers, blocks, calls,
     * nonces and balances; blocks and receipts newer than it do not exist; "pending" nonces are its latest ones.
     * Switched on while the keeper has seen newer heads, the block number goes backwards.
     */
    public void lag(int blocks) {
        lag = Optional.of(blocks);
    }

    public void noLag() {
        lag = Optional.empty();
    }

    /**
     * Removes every rule and the lag, and forgets what went through: the proxy answers honestly again. WebSocket faults
     * are not touched.
     */
    public void clear() {
        rules.clear();
        lag = Optional.empty();
        calls.clear();
        broadcasts.clear();
        blocksAskedFor.clear();
    }

    /** Requests of {@code method} seen (faulted or not). */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** Whether a client asked for block {@code number} by number (eth_getBlockByNumber). */
    public boolean askedForBlock(long number) {
        return blocksAskedFor.contains(number);
    }

    /** Every signed transaction (0x-hex) a client asked to broadcast through this proxy, in order. */
    public List<String> broadcasts() {
        return List.copyOf(broadcasts);
    }

    // ---------------------------------------------------------------------------------------------
    // WebSocket faults
    // ---------------------------------------------------------------------------------------------

    /** Closes every WebSocket connection now (the keeper's subscription is cut). */
    public void cutWebSockets() {
        for (WebSocket c : ws.getConnections()) c.close(1011, "cut by the fault proxy");
    }

    /** While on, new WebSocket connections are closed as soon as they open. */
    public void refuseWebSockets(boolean refuse) {
        ws.refuse = refuse;
    }

    /** While on, subscription notifications are swallowed: the socket stays open and says nothing. */
    public void silenceSubscriptions(boolean silent) {
        ws.silent = silent;
    }

    /** While set, every newHeads notification reports a block number this much lower (heads going backwards). */
    public void shiftHeads(long by) {
        ws.shift = by;
    }

    /** WebSocket connections opened through the proxy so far. */
    public int webSocketsOpened() {
        return ws.opened.get();
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP
    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode req;
            try {
                req = JSON.readTree(body);
            } catch (IOException e) {
                respond(ex, 400, "text/plain", "not JSON");
                return;
            }
            List<JsonNode> requests = new ArrayList<>();
            if (req.isArray()) req.forEach(requests::add);
            else requests.add(req);
            ArrayNode answers = NODES.arrayNode();
            for (JsonNode r : requests) {
                calls.computeIfAbsent(r.path("method").asText(), k -> new AtomicInteger())
                        .incrementAndGet();
                if (r.path("method").asText().equals("eth_sendRawTransaction"))
                    broadcasts.add(r.path("params").path(0).asText());
                if (r.path("method").asText().equals("eth_getBlockByNumber")
                        && r.path("params").path(0).asText().startsWith("0x")) {
                    blocksAskedFor.add(Long.decode(r.path("params").path(0).asText()));
                }
                Outcome o = answer(r);
                switch (o) {
                    case Outcome.Dropped d -> {
                        // Closing the exchange without a status line: the client sees the connection end.
                        return;
                    }
                    case Outcome.HttpError h -> {
                        respond(
                                ex,
                                h.status().code(),
                                h.status().contentType(),
                                h.status().body());
                        return;
                    }
                    case Outcome.Raw g -> {
                        respond(ex, 200, "application/json", g.body());
                        return;
                    }
                    case Outcome.Json j -> answers.add(j.answer());
                }
            }
            respond(ex, 200, "application/json", JSON.writeValueAsString(req.isArray() ? answers : answers.get(0)));
        }
    }

    private sealed interface Outcome {
        record Dropped() implements Outcome {}

        record HttpError(Fault.Status status) implements Outcome {}

        record Raw(String body) implements Outcome {}

        record Json(JsonNode answer) implements Outcome {}
    }

    private Outcome answer(JsonNode request) throws IOException {
        for (Rule rule : rules) {
            if (!rule.take(request)) continue;
            switch (rule.fault) {
                case Fault.Delay d -> sleep(d.delay());
                case Fault.Drop d -> {
                    return new Outcome.Dropped();
                }
                case Fault.Status s -> {
                    return new Outcome.HttpError(s);
                }
                case Fault.Garbage g -> {
                    return new Outcome.Raw(g.body());
                }
                case Fault.Error e -> {
                    if (e.forwardFirst()) forward(request);
                    return new Outcome.Json(error(request, e.code(), e.message()));
                }
                case Fault.Answer a -> {
                    return new Outcome.Json(result(request, a.resultForRequest().apply(request)));
                }
                case Fault.Doctor d -> {
                    JsonNode honest = forward(request);
                    if (honest.has("result"))
                        ((ObjectNode) honest).set("result", d.result().apply(honest.get("result")));
                    return new Outcome.Json(honest);
                }
            }
        }
        return new Outcome.Json(forward(request));
    }

    /** The node's answer, as a lagging node would give it when a lag is set. */
    private JsonNode forward(JsonNode request) throws IOException {
        Optional<Integer> l = lag;
        if (l.isEmpty()) return send(request);
        long real = Long.decode(send(call("eth_blockNumber")).path("result").asText());
        long seen = Math.max(0, real - l.get());
        String seenHex = "0x" + Long.toHexString(seen);
        ObjectNode r = request.deepCopy();
        ArrayNode p = r.has("params") && r.get("params").isArray() ? (ArrayNode) r.get("params") : r.putArray("params");
        switch (r.path("method").asText()) {
            case "eth_blockNumber" -> {
                return result(request, NODES.textNode(seenHex));
            }
            case "eth_getBlockByNumber" -> {
                String tag = p.path(0).asText();
                if (tag.equals("latest") || tag.equals("pending") || tag.equals("safe") || tag.equals("finalized")) {
                    p.set(0, NODES.textNode(seenHex));
                } else if (tag.startsWith("0x") && Long.decode(tag) > seen) {
                    return result(request, NODES.nullNode());
                }
            }
            case "eth_getTransactionCount", "eth_getBalance", "eth_getCode" -> {
                String tag = p.path(1).asText("latest");
                if (!tag.startsWith("0x")) p.set(1, NODES.textNode(seenHex));
            }
            case "eth_call", "eth_estimateGas" -> {
                JsonNode tag = p.path(1);
                if (tag.isMissingNode()
                        || tag.isNull()
                        || (tag.isTextual() && !tag.asText().startsWith("0x"))) {
                    if (p.size() < 2) p.add(seenHex);
                    else p.set(1, NODES.textNode(seenHex));
                } else if (tag.isObject() && tag.has("blockHash")) {
                    JsonNode b = send(call(
                                    "eth_getBlockByHash", tag.get("blockHash").asText(), false))
                            .path("result");
                    if (b.isNull()
                            || b.isMissingNode()
                            || Long.decode(b.path("number").asText()) > seen) {
                        return error(request, -32000, "header not found");
                    }
                }
            }
            case "eth_getTransactionReceipt" -> {
                JsonNode honest = send(request);
                JsonNode rc = honest.path("result");
                if (rc.isObject() && Long.decode(rc.path("blockNumber").asText()) > seen)
                    return result(request, NODES.nullNode());
                return honest;
            }
            case "eth_getTransactionByHash" -> {
                JsonNode honest = send(request);
                JsonNode tx = honest.path("result");
                if (tx.isObject()
                        && tx.hasNonNull("blockNumber")
                        && Long.decode(tx.path("blockNumber").asText()) > seen) {
                    ((ObjectNode) tx).putNull("blockNumber");
                    ((ObjectNode) tx).putNull("blockHash");
                }
                return honest;
            }
            default -> {}
        }
        return send(r);
    }

    private JsonNode send(JsonNode request) throws IOException {
        try {
            HttpResponse<String> resp = client.send(
                    HttpRequest.newBuilder(upstreamHttp)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode call(String method, Object... params) {
        ObjectNode n = NODES.objectNode();
        n.put("jsonrpc", "2.0");
        n.put("id", 0);
        n.put("method", method);
        ArrayNode p = n.putArray("params");
        for (Object o : params) p.add(JSON.valueToTree(o));
        return n;
    }

    private static JsonNode result(JsonNode request, JsonNode result) {
        ObjectNode n = NODES.objectNode();
        n.put("jsonrpc", "2.0");
        n.set("id", request.path("id"));
        n.set("result", result);
        return n;
    }

    private static JsonNode error(JsonNode request, int code, String message) {
        ObjectNode n = NODES.objectNode();
        n.put("jsonrpc", "2.0");
        n.set("id", request.path("id"));
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return n;
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // WebSocket relay
    // ---------------------------------------------------------------------------------------------

    /** One upstream connection per client connection; messages relayed both ways, notifications faulted. */
    private final class WsRelay extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger opened = new AtomicInteger();
        final Map<WebSocket, WebSocketClient> upstream = new ConcurrentHashMap<>();
        volatile boolean refuse;
        volatile boolean silent;
        volatile long shift;

        WsRelay() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
            setConnectionLostTimeout(0);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened.incrementAndGet();
            if (refuse) {
                conn.close(1013, "refused by the fault proxy");
                return;
            }
            WebSocketClient up = new WebSocketClient(upstreamWs) {
                @Override
                public void onOpen(ServerHandshake h) {}

                @Override
                public void onMessage(String message) {
                    String out = relayDown(message);
                    if (out != null && conn.isOpen()) conn.send(out);
                }

                @Override
                public void onClose(int code, String reason, boolean remote) {
                    if (conn.isOpen()) conn.close(1011, "upstream closed");
                }

                @Override
                public void onError(Exception e) {}
            };
            try {
                if (!up.connectBlocking(5, TimeUnit.SECONDS)) {
                    conn.close(1011, "upstream unreachable");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.close(1011, "interrupted");
                return;
            }
            upstream.put(conn, up);
        }

        private String relayDown(String message) {
            boolean notification = message.contains("\"eth_subscription\"");
            if (!notification) return message;
            if (silent) return null;
            long s = shift;
            if (s == 0) return message;
            try {
                ObjectNode n = (ObjectNode) JSON.readTree(message);
                ObjectNode head = (ObjectNode) n.path("params").path("result");
                if (head.has("number"))
                    head.put(
                            "number",
                            "0x"
                                    + Long.toHexString(Math.max(
                                            0, Long.decode(head.get("number").asText()) - s)));
                return JSON.writeValueAsString(n);
            } catch (IOException | ClassCastException e) {
                return message;
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            WebSocketClient up = upstream.get(conn);
            if (up != null && up.isOpen()) up.send(message);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            WebSocketClient up = upstream.remove(conn);
            if (up != null) up.close();
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {}
    }

    @Override
    public void close() {
        http.stop(0);
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WebSocketClient up : ws.upstream.values()) up.close();
    }
}
