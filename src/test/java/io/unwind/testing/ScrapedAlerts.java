package io.unwind.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running keeper's /metrics, scraped, and the alert rules of ops/prometheus fed that scrape through promtool's rule
 * unit tests: which alerts fire on what a real keeper exports.
 */
public final class ScrapedAlerts {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");

    private ScrapedAlerts() {}

    /** GET {@code url}, which must answer 200. */
    public static String get(String url) {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new AssertionError(url + " answered " + r.statusCode());
            return r.body();
        } catch (IOException e) {
            throw new AssertionError("cannot GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The value of one series in a scrape ({@code name} or {@code name{labels}}, as printed), if present. */
    public static java.util.OptionalDouble value(String scrape, String series) {
        return scrape.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst();
    }

    /**
     * promtool {@code input_series} for a scrape, held for 15 minutes as {@code instance} of job unwind: gauges at
     * their scraped value throughout, counters rising from 0 to theirs in the first minute. NaN samples are left out.
     */
    public static String inputSeries(String scrape, String instance) {
        Set<String> counters = new HashSet<>();
        List<String> series = new ArrayList<>();
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("# TYPE ") && line.endsWith(" counter")) counters.add(line.split(" ")[2]);
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) continue;
            double v = Double.parseDouble(m.group(4));
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            String labels = (m.group(3) == null || m.group(3).isEmpty() ? "" : m.group(3) + ",") + "instance=\""
                    + instance + "\",job=\"unwind\"";
            String values = counters.contains(m.group(1)) ? "0 " + m.group(4) + "x14" : m.group(4) + "x15";
            series.add("      - series: '" + m.group(1) + "{" + labels + "}'\n        values: '" + values + "'\n");
        }
        series.add("      - series: 'up{instance=\"" + instance + "\",job=\"unwind\"}'\n        values: '1x15'\n");
        return String.join("", series).stripTrailing();
    }

    /**
     * Runs {@code promtool test rules} on a test of ops/prometheus/alerts.yml over {@code inputSeries}, with
     * {@code promqlTests} (its {@code promql_expr_test} entries); returns promtool's exit code and output.
     */
    public static Result test(String inputSeries, String promqlTests) {
        try {
            Path dir = Files.createTempDirectory("unwind-scraped-alerts");
            Path rules = repo().resolve("ops/prometheus/alerts.yml").toAbsolutePath();
            Files.writeString(
                    dir.resolve("scraped.test.yml"), """
                    rule_files:
                      - %s
                    evaluation_interval: 1m
                    tests:
                      - interval: 1m
                        input_series:
                    %s
                        promql_expr_test:
                    %s
                    """.formatted(rules, inputSeries, promqlTests.stripTrailing()));
            Process p = new ProcessBuilder(promtool().toString(), "test", "rules", "scraped.test.yml")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run promtool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public record Result(int exit, String output) {}

    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) return p;
        }
        throw new AssertionError("promtool is not installed: apt-get install -y prometheus (.ci/run does)");
    }

    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("ops"))) return p;
        }
        throw new AssertionError(
                "cannot find the repository from " + Path.of("").toAbsolutePath());
    }
}
