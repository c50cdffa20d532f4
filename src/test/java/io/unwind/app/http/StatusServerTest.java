package io.unwind.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class StatusServerTest {
    private static HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void pagesAnswerTheirExactPathReadOnlyAndReadinessSaysWhatFails() throws Exception {
        Map<String, Supplier<StatusServer.Check>> checks = new LinkedHashMap<>();
        checks.put("head", () -> new StatusServer.Check(true, "block 7"));
        checks.put("journal", () -> {
            throw new IllegalStateException("database \"down\"");
        });
        // Any text a check may say must come out as valid JSON: quotes, backslashes, line breaks, control characters.
        checks.put(
                "gas", () -> new StatusServer.Check(false, "key C:\\keys\\k.json\nholds 0 ETH\t\u0001 \u2014 fund it"));
        try (StatusServer s =
                new StatusServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), checks)) {
            s.route("/", q -> StatusServer.Response.text(200, "text/html", "<p>page</p>"));
            s.start();
            String base = "http://127.0.0.1:" + s.port();
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/"))).body())
                    .isEqualTo("<p>page</p>");
            HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(base + "/favicon.ico")));
            assertThat(missing.statusCode())
                    .as("'/' must not answer every path")
                    .isEqualTo(404);
            HttpResponse<String> post =
                    send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(post.statusCode()).isEqualTo(405);
            HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create(base + "/ready")));
            assertThat(ready.statusCode()).isEqualTo(503);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ready.body());
            assertThat(json.get("status").asText()).isEqualTo("not ready");
            assertThat(json.at("/checks/head/ok").asBoolean()).isTrue();
            assertThat(json.at("/checks/head/detail").asText()).isEqualTo("block 7");
            assertThat(json.at("/checks/journal/detail").asText()).isEqualTo("database \"down\"");
            assertThat(json.at("/checks/gas/detail").asText())
                    .isEqualTo("key C:\\keys\\k.json\nholds 0 ETH\t\u0001 \u2014 fund it");
            assertThat(json.get("reasons"))
                    .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                    .containsExactly(
                            "journal: database \"down\"",
                            "gas: key C:\\keys\\k.json\nholds 0 ETH\t\u0001 \u2014 fund it");
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/"))
                                    .method("HEAD", HttpRequest.BodyPublishers.noBody()))
                            .headers()
                            .firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        }
    }
}
