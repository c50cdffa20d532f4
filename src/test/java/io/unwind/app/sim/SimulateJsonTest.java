package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code unwind simulate --json}, end to end: the report has every field the issue names, per vault and action. */
@Tag("chain")
class SimulateJsonTest {

    @Test
    void printsTheReportAsOneJsonObject() throws Exception {
        Path file = Files.createTempFile("scenario", ".yaml");
        Files.writeString(file, """
                name: json-report
                blockTime: 1
                market:
                  collateral: {symbol: WETH, decimals: 18}
                  loan: {symbol: USDC, decimals: 6}
                  lltv: 0.86
                  price: 3000
                  pools: [{dex: uniswap-v3, fee: 3000, depth: 5000000}]
                prices: [{block: 0, price: 3000}, {block: 20, price: 2550}]
                settleBlocks: 2
                vaults:
                  - {name: protected, collateral: 10, ltv: 0.75, keeper: true, policy: {trigger: 0.80, target: 0.70}}
                  - {name: small, count: 2, collateral: 1, ltv: 0.70, keeper: true, policy: {trigger: 0.80, target: 0.70}}
                  - {name: bare, collateral: 10, ltv: 0.75}
                """);
        String out = capture(() -> assertThat(Main.execute("simulate", "--scenario", file.toString(), "--json"))
                .isZero());
        JsonNode r = new ObjectMapper().readTree(out);
        assertThat(r.get("scenario").asText()).isEqualTo("json-report");
        assertThat(r.get("blocks").asLong()).isEqualTo(22);
        assertThat(r.get("vaults")).hasSize(4);
        assertThat(r.get("vaults").findValuesAsText("name")).containsExactly("protected", "small-1", "small-2", "bare");
        for (JsonNode v : r.get("vaults")) {
            for (String field : new String[] {
                "name", "keeper", "liquidated", "maxLtv", "finalLtv", "equityStart", "equityEnd", "actions"
            }) {
                assertThat(v.has(field)).as(v.get("name") + " has " + field).isTrue();
            }
        }
        JsonNode prot = r.get("vaults").get(0);
        assertThat(prot.get("keeper").asBoolean()).isTrue();
        assertThat(prot.get("liquidated").asBoolean()).isFalse();
        assertThat(prot.get("actions")).isNotEmpty();
        for (JsonNode a : prot.get("actions")) {
            for (String field :
                    new String[] {"block", "kind", "route", "collateralSold", "debtRepaid", "gasUsed", "txHash"}) {
                assertThat(a.has(field)).as("action has " + field).isTrue();
            }
            assertThat(a.get("kind").asText()).isEqualTo("sell");
            assertThat(a.get("route").asText()).startsWith("uniswap-v3");
            assertThat(a.get("txHash").asText()).matches("0x[0-9a-f]{64}");
        }
        assertThat(r.get("keeper").get("reactionBlocks").get("max").asLong()).isBetween(1L, 2L);
        assertThat(r.get("keeper").get("reactionBlocks").has("p50")).isTrue();
        // A run played to its end: error is written, as null; the keeper's transactions are counted.
        assertThat(r.has("error")).isTrue();
        assertThat(r.get("error").isNull()).isTrue();
        JsonNode k = r.get("keeper");
        for (String field : new String[] {"sends", "reverted", "gasUsed", "gasPerProtectedVault"}) {
            assertThat(k.has(field)).as("keeper has " + field).isTrue();
        }
        assertThat(k.get("sends").asInt())
                .isGreaterThanOrEqualTo(k.get("actions").asInt());
        assertThat(k.get("gasUsed").asLong()).isPositive();
        assertThat(k.get("gasPerProtectedVault").asLong()).isPositive();
        for (JsonNode a : prot.get("actions"))
            assertThat(a.get("reverted").isBoolean()).isTrue();
    }

    @Test
    void aBadScenarioNamesTheFieldAndExitsWithTwo() throws Exception {
        Path file = Files.createTempFile("scenario", ".yaml");
        Files.writeString(file, "name: x\nblockTime: 1\nmarket: {lltv: 1.2}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("simulate", "--scenario", file.toString())).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("market.");
    }

    private static String capture(Runnable r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
