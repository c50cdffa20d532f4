package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.bench.EngineBench;
import io.unwind.app.bench.ScanBench;
import io.unwind.app.http.StatusJson;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/JSON.md documents every {@code --json} answer once: each record of {@link JsonShapes} has a section whose table
 * lists its fields in the order Jackson writes them. A field added without its line, or a line left after its field
 * went, fails here.
 */
@Tag("pure")
class JsonDocTest {
    private static final Path ROOT = Path.of(System.getProperty("unwind.contracts.dir", "contracts"))
            .toAbsolutePath()
            .getParent();
    /** The status server writes with Jackson's defaults (StatusPage). */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static final Pattern SECTION = Pattern.compile("(?m)^### `([A-Za-z]+)`$");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\|");

    @Test
    void everyRecordHasItsFieldsDocumentedInOrder() throws IOException {
        Map<String, String> sections = sections(Files.readString(ROOT.resolve("docs/JSON.md")));
        Map<Class<?>, String> records = new LinkedHashMap<>();
        Arrays.stream(JsonShapes.class.getDeclaredClasses())
                .filter(Class::isRecord)
                .forEach(r -> records.put(r, r.getSimpleName()));
        assertThat(records).hasSizeGreaterThan(15);
        // The benchmarks' results are records of the bench package, printed as they are.
        records.put(ScanBench.Result.class, "ScanResult");
        records.put(EngineBench.Result.class, "EngineResult");
        records.put(EngineBench.Stats.class, "Stats");
        // The status server's /api/status.
        Arrays.stream(StatusJson.class.getDeclaredClasses())
                .filter(Class::isRecord)
                .forEach(r -> records.put(r, r.getSimpleName()));
        for (var e : records.entrySet()) {
            Class<?> r = e.getKey();
            String section = sections.get(e.getValue());
            assertThat(section)
                    .as("docs/JSON.md has a section ### `" + e.getValue() + "`")
                    .isNotNull();
            List<String> fields = new ArrayList<>();
            for (RecordComponent c : r.getRecordComponents()) {
                if (c.getAccessor().isAnnotationPresent(JsonUnwrapped.class)
                        && c.getType().isRecord()) {
                    assertThat(section)
                            .as(r.getSimpleName() + " says whose fields it starts with")
                            .contains("The fields of `" + c.getType().getSimpleName() + "`");
                } else {
                    fields.add(c.getName());
                }
            }
            List<String> rows = new ArrayList<>();
            Matcher m = ROW.matcher(section);
            while (m.find()) rows.add(m.group(1));
            assertThat(rows)
                    .as("the fields documented for " + r.getSimpleName())
                    .isEqualTo(fields);
        }
    }

    @Test
    void unwrappedAndAbsentFieldsAreWrittenAsDocumented() {
        var amount = new JsonShapes.Amount("1500000000", 6, "USDC", "0xa0", "1500");
        var policy = new JsonShapes.PolicyJson(true, 8000, 7000, 200, 100, 50, 2000, 600, "100000000000");
        var vault = new JsonShapes.Vault(
                "0x01",
                "0x02",
                "0xmarket",
                "morpho-blue",
                "ok",
                amount,
                amount,
                amount,
                "2000",
                "0.5",
                "0.86",
                "0.4",
                policy,
                null,
                false,
                true,
                new JsonShapes.GuardJson(null, 0, 0, 0, 0),
                "ok",
                null,
                10_000,
                "0.76",
                "0.05");
        JsonNode keeper = Json.MAPPER.valueToTree(new JsonShapes.OwnerAnswer(
                "keeper add", "0x01", null, new JsonShapes.KeeperExtra("0x03"), List.of(), vault));
        assertThat(names(keeper)).containsExactly("action", "vault", "keeper", "transactions", "vaultAfter");
        assertThat(keeper.get("vaultAfter").get("lastActionAt").isNull()).isTrue();

        JsonNode fund =
                Json.MAPPER.valueToTree(new JsonShapes.OwnerAnswer("fund", "0x01", amount, null, List.of(), vault));
        assertThat(names(fund)).containsExactly("action", "vault", "amount", "transactions", "vaultAfter");
        assertThat(names(fund.get("amount"))).containsExactly("units", "decimals", "symbol", "token", "text");

        JsonNode shown = Json.MAPPER.valueToTree(new JsonShapes.VaultShown(
                vault, null, new LinkedHashMap<>(), new JsonShapes.PortfolioLinksJson(null, amount, 0, List.of())));
        assertThat(names(shown))
                .startsWith("vault", "owner")
                .endsWith(
                        "keeperAllowed",
                        "guard",
                        "priceStatus",
                        "feedUpdatedAt",
                        "windowSellLeftBps",
                        "softTrigger",
                        "maxLiquidationProbability",
                        "routes",
                        "portfolio");
        assertThat(shown.has("configuredKeeper")).isFalse();
        assertThat(names(shown.get("portfolio")))
                .containsExactly("sharedReserve", "topUpAvailable", "maxMoveBps", "movePeers");
        assertThat(shown.get("portfolio").get("sharedReserve").isNull()).isTrue();

        JsonNode gas = Json.MAPPER.valueToTree(
                new JsonShapes.GasBench(new LinkedHashMap<>(Map.of("topUp", 125207L)), 1.25, 1.5));
        assertThat(names(gas)).containsExactly("topUp", "deleverageV3OverBare", "topUpOverBare");

        JsonNode policyShown = Json.MAPPER.valueToTree(new JsonShapes.PolicyShown(policy, "0x01", 8600, null, null));
        assertThat(names(policyShown))
                .startsWith("set")
                .endsWith("maxGasPriceWei", "vault", "lltvBps", "softTrigger", "maxLiquidationProbability");
        assertThat(policyShown.get("softTrigger").isNull()).isTrue();
    }

    @Test
    void theStatusApiWritesItsDocumentedShape() {
        var amount = new StatusJson.PageAmount("1.5", "WETH", "1500000000000000000");
        var row = new StatusJson.PageVault(
                "0x01",
                "0x02",
                "WETH/USDC",
                "aave-v3",
                7,
                null,
                0.8,
                0.7,
                0.86,
                null,
                amount,
                amount,
                amount,
                true,
                false,
                true,
                0,
                "healthy",
                "",
                List.of(new StatusJson.PagePoint(7, 70, 0.5, 0.8, 0.7)),
                "no price");
        JsonNode none = PLAIN.valueToTree(new StatusJson.PageStatus(
                "0x03",
                31337,
                100,
                null,
                new LinkedHashMap<>(),
                null,
                List.of(row),
                List.of(new StatusJson.PagePortfolio("0x02", 1, List.of("aave-v3"), List.of(), null, null, null, null)),
                null,
                List.of(),
                List.of(),
                List.of()));
        assertThat(none.has("head")).as("head is absent before the first block").isFalse();
        assertThat(none.has("cluster"))
                .as("cluster is absent for a single keeper")
                .isFalse();
        assertThat(none.has("hedges"))
                .as("hedges is absent for a keeper without hedges")
                .isFalse();
        assertThat(names(none.get("vaults").get(0).get("collateral"))).containsExactly("text", "symbol", "units");
        assertThat(none.get("vaults").get(0).get("ltv").isNull()).isTrue();
        assertThat(none.get("vaults").get(0).get("history").get(0).toString()).isEqualTo("[7,70,0.5,0.8,0.7]");
        assertThat(none.get("vaults").get(0).get("protocol").asText()).isEqualTo("aave-v3");
        assertThat(none.get("portfolios").get(0).get("worstLtvOfLltv").isNull())
                .as("an owner without debt has no worst vault: null, not absent")
                .isTrue();
        JsonNode seen = PLAIN.valueToTree(new StatusJson.PageStatus(
                "0x03",
                31337,
                100,
                new StatusJson.PageHead(7, 70),
                new LinkedHashMap<>(),
                null,
                List.of(),
                List.of(),
                null,
                List.of(),
                List.of(),
                List.of()));
        assertThat(names(seen))
                .containsExactly(
                        "keeper",
                        "chainId",
                        "now",
                        "head",
                        "ready",
                        "vaults",
                        "portfolios",
                        "actions",
                        "transactions",
                        "markets");
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.properties().forEach(e -> out.add(e.getKey()));
        return out;
    }

    private static Map<String, String> sections(String doc) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(doc);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) out.put(name, doc.substring(start, m.start()));
            name = m.group(1);
            start = m.end();
        }
        if (name != null) out.put(name, doc.substring(start));
        return out;
    }
}
