package io.unwind.route.aggregator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.route.aggregator.AggregatorException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTTP and JSON plumbing the aggregator clients share: GET with a query, POST with a JSON body, the vendor's
 * headers, and the first sorting of answers. Transport errors, 5xx, 429, HTML pages and unparseable bodies become
 * {@link AggregatorException}s of the matching kind; 2xx and 4xx with a JSON body are returned for the client to read
 * (each vendor says "no route" differently). Error texts quote at most a short prefix of a body, never a header.
 */
final class HttpJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final int MAX_BODY = 4 * 1024 * 1024;

    /** A JSON answer: its status, headers and body. */
    record Answer(int status, HttpHeaders headers, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final String source;
    private final URI base;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient client;

    HttpJson(String source, URI base, Duration timeout, Map<String, String> headers) {
        this.source = source;
        this.base = base;
        this.timeout = timeout;
        this.headers = Map.copyOf(headers);
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Answer get(String path, Map<String, String> query) {
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + queryString(query)));
        return send(builder(uri).GET().build(), path);
    }

    Answer post(String path, Map<String, String> query, JsonNode body) {
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + queryString(query)));
        String json;
        try {
            json = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
        return send(
                builder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                        .build(),
                path);
    }

    private HttpRequest.Builder builder(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        headers.forEach(b::header);
        return b;
    }

    private Answer send(HttpRequest request, String path) {
        HttpResponse<byte[]> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new AggregatorException(
                    source, Kind.TIMEOUT, path + " gave no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AggregatorException(source, Kind.TIMEOUT, path + " was abandoned (interrupted)", e);
        } catch (IOException e) {
            throw new AggregatorException(
                    source,
                    Kind.TRANSPORT,
                    path + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    e);
        }
        int status = r.statusCode();
        byte[] raw = r.body() == null ? new byte[0] : r.body();
        if (raw.length > MAX_BODY)
            throw new AggregatorException(source, Kind.MALFORMED, path + " answered " + raw.length + " bytes");
        String text = new String(raw, StandardCharsets.UTF_8);
        if (status == 429) {
            throw new AggregatorException(
                    source,
                    Kind.RATE_LIMITED,
                    path + " answered 429" + rateHeaders(r.headers()) + " " + excerpt(redact(text)));
        }
        if (status >= 500)
            throw new AggregatorException(
                    source, Kind.SERVER_ERROR, path + " answered " + status + " " + excerpt(redact(text)));
        String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        String head = text.stripLeading().toLowerCase(Locale.ROOT);
        if (type.contains("html") || head.startsWith("<!doctype") || head.startsWith("<html")) {
            // Gateways, WAF challenges and captive portals answer with a page, not with the vendor's JSON.
            throw new AggregatorException(
                    source,
                    Kind.MALFORMED,
                    path + " answered " + status + " with an HTML page " + excerpt(redact(text)));
        }
        if (status / 100 != 2 && status / 100 != 4) {
            throw new AggregatorException(source, Kind.MALFORMED, path + " answered HTTP " + status);
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AggregatorException(
                    source,
                    Kind.MALFORMED,
                    path + " answered " + status + " with a body that is not JSON " + excerpt(redact(text)));
        }
        if (body == null || body.isMissingNode()) {
            throw new AggregatorException(source, Kind.MALFORMED, path + " answered " + status + " with an empty body");
        }
        return new Answer(status, r.headers(), body);
    }

    /** A vendor that echoes the request (key included) in an error page must not put the key into our messages. */
    private String redact(String text) {
        String out = text;
        for (String v : headers.values()) {
            String secret = v.startsWith("Bearer ") ? v.substring(7) : v;
            if (secret.length() >= 8) out = out.replace(secret, "[redacted]");
        }
        return out;
    }

    private static String rateHeaders(HttpHeaders h) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k :
                new String[] {"retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}) {
            h.firstValue(k).ifPresent(v -> m.put(k, v));
        }
        return m.isEmpty() ? "" : " " + m;
    }

    static String excerpt(String text) {
        String t = text.replaceAll("\\s+", " ").strip();
        return "'" + (t.length() > 160 ? t.substring(0, 160) + "…" : t) + "'";
    }

    static String queryString(Map<String, String> q) {
        return q.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
