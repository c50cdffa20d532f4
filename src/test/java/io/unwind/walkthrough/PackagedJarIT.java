package io.unwind.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact users run, run: {@code target/unwind.jar} through {@code ./unwind} with the launcher's own JVM options.
 * What only the packaged jar can get wrong is checked here: its manifest (main class, version), the service files the
 * shade plugin merges (Flyway's PostgreSQL support is one), the Flyway migrations read from inside the jar, the bundled
 * logback configuration (tests elsewhere see logback-test.xml instead), and the exit codes of simulate and demo.
 */
@Tag("process")
class PackagedJarIT {
    private static final Path REPO =
            Path.of(System.getProperty("unwind.repo.dir", ".")).toAbsolutePath().normalize();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private UserShell shell;

    @BeforeEach
    void sandbox() throws IOException {
        shell = UserShell.in(REPO, dir);
    }

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void helpVersionAndConfigCheckRunFromTheJar() throws IOException {
        assertThat(shell.run("./unwind --help").ok().out())
                .contains("Usage: unwind")
                .contains("simulate")
                .contains("Exit codes:");
        assertThat(shell.run("./unwind --version").ok().out().strip())
                .isEqualTo("unwind " + System.getProperty("unwind.version"));

        Path good = shell.root().resolve("keeper.yaml");
        Files.writeString(good, """
                chain:
                  id: 31337
                  endpoints: [{name: local, url: "http://127.0.0.1:8545"}]
                contracts:
                  morpho: "0x5fbdb2315678afecb367f032d93f642f64180aa3"
                  lens: "0x610178da211fef7d417bc0e6fed39f05609ad788"
                  factory: "0x8a791620dd6260079bf849dc5567adc3f2fdc318"
                  uniswapV2Router: "0x9a9f2ccfde556a7e9ff0848998aa4a0cfd8863ae"
                keeper:
                  devAccount: 3
                """);
        assertThat(shell.run("./unwind config check --config keeper.yaml").ok().out())
                .contains("configuration ok");
        Files.writeString(
                shell.root().resolve("bad.yaml"), Files.readString(good).replace("id: 31337", "id: -5"));
        var bad = shell.run("./unwind config check --config bad.yaml");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("chain.id");
    }

    @Test
    void simulateExitsZeroWhenTheProtectedVaultSurvivesAndThreeWhenItIsLiquidated() throws IOException {
        Files.writeString(shell.root().resolve("calm.yaml"), scenario("calm", "- {block: 6, price: 2700}"));
        var calm = shell.run("./unwind simulate --scenario calm.yaml --json").ok();
        JsonNode report = new ObjectMapper().readTree(calm.out());
        assertThat(report.at("/vaults/0/liquidated").asBoolean()).isFalse();
        assertThat(report.at("/vaults/0/actions")).isNotEmpty();

        // A gap: the price jumps through the liquidation price within one block; no reactive keeper can save that.
        Files.writeString(
                shell.root().resolve("gap.yaml"),
                scenario("gap", "- {block: 4, price: 3000}\n  - {block: 5, price: 2000}\n  - {block: 8, price: 2000}"));
        var gap = shell.run("./unwind simulate --scenario gap.yaml");
        assertThat(gap.exit()).as(gap.out() + gap.err()).isEqualTo(3);
        assertThat(gap.out()).contains("LIQUIDATED");
    }

    @Test
    void theDemoShowsTheProtectedVaultAliveAndTheBareOneLiquidated() {
        String out = shell.run("./unwind demo").ok().out();
        assertThat(out).contains("Result after");
        assertThat(out).containsPattern("(?m)^\\s+protected\\s+protected\\s+alive");
        assertThat(out).containsPattern("(?m)^\\s+bare\\s+unprotected\\s+LIQUIDATED");
    }

    @Test
    void runKeepsItsJournalOnH2AndOnPostgresWithTheBundledLogging() throws Exception {
        int devnetPort = freePort();
        shell.startAndWait(
                "./unwind devnet --dir dn --http-port " + devnetPort,
                out -> out.contains("Ctrl-C stops the devnet"),
                Duration.ofSeconds(180));

        // H2, the default: the journal file is made by the migrations inside the jar; log lines are the bundled format.
        var h2 = shell.startAndWait(
                "./unwind run --config dn/unwind.yaml",
                out -> out.contains("status page http"),
                Duration.ofSeconds(90));
        assertReady(devnetPort);
        assertThat(h2.output())
                .containsPattern(
                        "(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  KeeperNode - keeper 0x[0-9a-f]{40} watching");
        shell.stop(h2);
        try (var files = Files.list(shell.root().resolve("dn/data"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(f -> f.startsWith("journal") && f.endsWith(".mv.db"));
        }

        // PostgreSQL through the documented environment overrides, logging JSON: needs the shaded jar's merged
        // services.
        try (TestPostgres db = TestPostgres.create()) {
            var pg = shell.startAndWait(
                    "UNWIND_LOG_FORMAT=json UNWIND_JOURNAL_URL=" + db.url() + " UNWIND_JOURNAL_USER=" + db.user()
                            + " UNWIND_JOURNAL_PASSWORDENV=JOURNAL_PASSWORD JOURNAL_PASSWORD=" + db.password()
                            + " ./unwind run --config dn/unwind.yaml",
                    out -> out.contains("status page http"),
                    Duration.ofSeconds(90));
            assertReady(devnetPort);
            String firstLogLine = pg.output()
                    .lines()
                    .filter(l -> l.startsWith("{"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no JSON log line:\n" + pg.output()));
            assertThat(new ObjectMapper().readTree(firstLogLine).path("level").asText())
                    .isNotEmpty();
            shell.stop(pg);
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                    ResultSet r = c.createStatement()
                            .executeQuery("select count(*) from flyway_schema_history where success")) {
                r.next();
                assertThat(r.getInt(1))
                        .as("migrations applied from inside the jar")
                        .isGreaterThanOrEqualTo(4);
            }
        }
    }

    private static void assertReady(int port) throws Exception {
        HttpResponse<String> r = null;
        for (int i = 0; i < 100; i++) {
            r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) break;
            UserShell.sleep(200);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new ObjectMapper()
                        .readTree(r.body())
                        .at("/checks/journal/ok")
                        .asBoolean())
                .isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String scenario(String name, String prices) {
        return """
                name: %s
                blockTime: 1
                market:
                  collateral: {symbol: WETH, decimals: 18}
                  loan: {symbol: USDC, decimals: 6}
                  lltv: 0.86
                  price: 3000
                  pools:
                    - {dex: uniswap-v3, fee: 3000, depth: 2000000}
                prices:
                  - {block: 0, price: 3000}
                  %s
                vaults:
                  - {name: protected, collateral: 10, ltv: 0.75, keeper: true, policy: {trigger: 0.80, target: 0.70}}
                """.formatted(name, prices);
    }
}
