package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.unwind.chain.ChainClient;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketDeployment;
import io.unwind.route.aggregator.ApiKey;
import io.unwind.route.aggregator.Vendor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEX aggregators on 127.0.0.1 for local chains: a real HTTP server that speaks the wire formats of 1inch v6, 0x v2
 * (AllowanceHolder), ParaSwap 6.2, Odos and KyberSwap (below {@code /1inch}, {@code /0x}, {@code /paraswap},
 * {@code /odos}, {@code /kyberswap}), including their error bodies and 429s, quotes from the local market's Uniswap
 * pools (eth_call to QuoterV2 and the V2 router), and returns calldata for the local routers that really executes. Each
 * vendor can be told to {@link Misbehaviour misbehave}; every request is recorded for tests.
 *
 * <p>1inch and 0x demand an API key (generated per emulator, see {@link #apiKey}); 1inch (in tenths) and Odos (in
 * quarters) split a sale across two V3 pools in one SwapRouter {@code multicall} when that pays more, the others pick
 * the best single pool.
 */
public final class AggregatorEmulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AggregatorEmulator.class);
    /** Where a {@link Misbehaviour#WRONG_RECIPIENT} swap sends the proceeds: a development account nobody here uses. */
    public static final Address THIEF = Address.of(LocalChain.devAccount(9).getAddress());
    /** The chain slug the emulated KyberSwap serves. */
    public static final String CHAIN_SLUG = "local";

    private final HttpServer server;
    private final Map<String, VendorApi> apis = new LinkedHashMap<>();
    private final Map<Vendor, ApiKey> keys = new EnumMap<>(Vendor.class);
    private final Map<Vendor, Misbehaviour> behaviour = new ConcurrentHashMap<>();
    private final Set<Vendor> staleOnce = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Duration slowDelay = Duration.ofSeconds(3);
    private volatile double overstatement = 1.5;
    private volatile boolean swapNumberForms;

    private AggregatorEmulator(ChainClient chain, MarketDeployment m, Set<Vendor> vendors, Clock clock) {
        Desk desk = new Desk(new LocalVenues(chain, m), this, clock);
        for (Vendor v : vendors) {
            VendorApi api = switch (v) {
                case ONE_INCH -> new OneInchApi(desk);
                case ZERO_X -> new ZeroExApi(desk);
                case PARASWAP -> new ParaSwapApi(desk);
                case ODOS -> new OdosApi(desk);
                case KYBERSWAP -> new KyberSwapApi(desk, CHAIN_SLUG);
            };
            apis.put(v.id(), api);
            if (v.needsKey()) keys.put(v, new ApiKey("emu-" + v.id() + "-" + UUID.randomUUID()));
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    /** Serves every vendor for the market {@code m}, reading the pools through {@code chain}. */
    public static AggregatorEmulator start(ChainClient chain, MarketDeployment m) {
        return start(chain, m, Set.of(Vendor.values()));
    }

    public static AggregatorEmulator start(ChainClient chain, MarketDeployment m, Set<Vendor> vendors) {
        return new AggregatorEmulator(chain, m, vendors, Clock.systemUTC());
    }

    /** The base URL to configure a client of {@code v} with. */
    public URI baseUrl(Vendor v) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + v.id());
    }

    /** The key this emulator demands from clients of {@code v}, if that vendor demands one. */
    public Optional<ApiKey> apiKey(Vendor v) {
        return Optional.ofNullable(keys.get(v));
    }

    public void behave(Vendor v, Misbehaviour b) {
        behaviour.put(v, b);
    }

    public Misbehaviour behaviour(Vendor v) {
        return behaviour.getOrDefault(v, Misbehaviour.HONEST);
    }

    public Duration slowDelay() {
        return slowDelay;
    }

    public void slowDelay(Duration d) {
        slowDelay = d;
    }

    public double overstatement() {
        return overstatement;
    }

    public void overstatement(double factor) {
        overstatement = factor;
    }

    /** Whether amounts documented as strings are sent as JSON numbers and the other way round. */
    public boolean swapNumberForms() {
        return swapNumberForms;
    }

    public void swapNumberForms(boolean swap) {
        swapNumberForms = swap;
    }

    /** The next ParaSwap priceRoute or Odos pathId that {@code v} hands out is already past its lifetime. */
    public void staleOnce(Vendor v) {
        staleOnce.add(v);
    }

    boolean consumeStaleOnce(Vendor v) {
        return staleOnce.remove(v);
    }

    /** Every request received so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(Vendor v) {
        return calls.stream().filter(c -> c.vendor().equals(v.id())).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String full = ex.getRequestURI().getRawPath();
            String[] parts = full.split("/", 3);
            VendorApi api = parts.length >= 2 ? apis.get(parts[1]) : null;
            if (api == null) {
                send(ex, new Reply(404, "text/plain", "no such aggregator", Map.of()));
                return;
            }
            Call call = parse(ex, parts[1], "/" + (parts.length > 2 ? parts[2] : ""));
            calls.add(call); // on arrival: a slow answer finishing later must not land among a later test's calls
            Reply reply = answer(api, call);
            calls.replaceAll(c -> c == call ? call.answered(reply) : c);
            send(ex, reply);
        } catch (IOException e) {
            log.debug("emulator: client went away: {}", e.toString()); // a client that timed out closes its end
        }
    }

    private Reply answer(VendorApi api, Call call) {
        Vendor v = api.vendor();
        Misbehaviour b = behaviour(v);
        switch (b) {
            case SERVER_ERROR -> {
                return Reply.json(500, api.error(500, "Internal server error", null));
            }
            case RATE_LIMITED -> {
                return Reply.json(429, api.error(429, "Too many requests, slow down", null))
                        .withHeaders(api.rateLimitHeaders());
            }
            case HTML_ERROR -> {
                return new Reply(403, "text/html; charset=utf-8", """
                        <!DOCTYPE html><html><head><title>Attention Required!</title></head>
                        <body><h1>Sorry, you have been blocked</h1><p>Ray ID: 7f3a9c2e</p></body></html>""", Map.of());
            }
            default -> {}
        }
        Optional<Reply> denied = auth(api, call);
        if (denied.isPresent()) return denied.get();
        Reply r;
        try {
            r = api.handle(call);
        } catch (Call.ApiError e) {
            r = Reply.json(e.status, api.error(e.status, e.getMessage(), e.field));
        } catch (RuntimeException e) {
            log.debug("emulator {}: {}", v.id(), e.toString());
            r = Reply.json(500, api.error(500, "internal error", null));
        }
        if (b == Misbehaviour.MALFORMED_JSON) {
            return new Reply(
                    200,
                    r.contentType(),
                    r.body().substring(0, Math.max(1, r.body().length() / 2)),
                    Map.of());
        }
        // Slow: the answer is worked out on arrival (any state it touches changes then) and sent late.
        if (b == Misbehaviour.SLOW) sleep(slowDelay);
        return r;
    }

    private Optional<Reply> auth(VendorApi api, Call call) {
        ApiKey key = keys.get(api.vendor());
        if (key == null) return Optional.empty();
        String given = switch (api.vendor()) {
            case ONE_INCH ->
                Optional.ofNullable(call.header("authorization"))
                        .filter(h -> h.startsWith("Bearer "))
                        .map(h -> h.substring(7))
                        .orElse(null);
            case ZERO_X -> call.header("0x-api-key");
            default -> null;
        };
        if (key.matches(given)) return Optional.empty();
        return Optional.of(Reply.json(401, api.error(401, "Invalid API key", null)));
    }

    private static Call parse(HttpExchange ex, String vendor, String path) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int i = pair.indexOf('=');
                String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
                String val = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
                query.put(k, val);
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode json = null;
        if (!body.isBlank()) {
            try {
                json = Desk.JSON.readTree(body);
            } catch (IOException e) {
                json = null;
            }
        }
        return new Call(
                vendor,
                ex.getRequestMethod(),
                path,
                Collections.unmodifiableMap(query),
                Collections.unmodifiableMap(headers),
                body,
                json,
                0,
                "");
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(r.status(), b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** For reports: what each vendor is doing now. */
    public Map<Vendor, Misbehaviour> behaviours() {
        Map<Vendor, Misbehaviour> m = new EnumMap<>(Vendor.class);
        for (VendorApi a : apis.values()) m.put(a.vendor(), behaviour(a.vendor()));
        return m;
    }

    /** The vendors this emulator serves. */
    public List<Vendor> vendors() {
        return new ArrayList<>(apis.values().stream().map(VendorApi::vendor).toList());
    }
}
