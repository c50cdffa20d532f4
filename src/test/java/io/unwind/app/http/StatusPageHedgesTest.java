package io.unwind.app.http;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.engine.Hedger;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The status page's hedge section: each hedge's short, its value and its share of the vault's collateral, its LTV
 * against its own trigger, its equity and P&L in the vault's loan token, and its funding cost; no section at all for a
 * keeper without hedges.
 */
@Tag("pure")
class StatusPageHedgesTest {
    static final Address VAULT_A = Address.of("0x" + "a1".repeat(20));
    static final Address VAULT_B = Address.of("0x" + "b1".repeat(20));
    static final Address HEDGE_A = Address.of("0x" + "a2".repeat(20));
    static final Address HEDGE_B = Address.of("0x" + "b2".repeat(20));
    static final BigInteger FIVE_PCT_A_YEAR = io.unwind.testing.HedgeViews.FIVE_PCT_A_YEAR;

    /** A vault of 10 WETH whose hedge is short 4 WETH against 20,000 USDC of margin; its owner put in 9,000 USDC. */
    static Hedger.View view(Address hedge, Address vault, String price) {
        return io.unwind.testing.HedgeViews.view(hedge, vault, price, "hold: under the open LTV");
    }

    @Test
    void eachHedgeShowsItsShortValueRatioPnlAndFunding() {
        try (Database db = Database.open(Database.inMemoryUrl("hedges-" + UUID.randomUUID()), "sa", "")) {
            StatusPage page = new StatusPage(
                    new VaultHistory(10, 10, 10),
                    new Journal(db.dataSource(), Clock.systemUTC()),
                    Address.of("0x" + "3".repeat(40)),
                    31337,
                    Clock.systemUTC());
            ObjectMapper json = new ObjectMapper();
            assertThat(json.valueToTree(page.snapshot(Map.of())).has("hedges"))
                    .as("a keeper without hedges has no hedge section")
                    .isFalse();

            // At 3,000 USDC the short is worth 12,000 against 20,000 of margin: equity 8,000, 1,000 under the
            // principal. At 2,500 it is worth 10,000: equity 10,000, 1,000 over.
            page.withHedges(() -> Map.of(
                    HEDGE_B, view(HEDGE_B, VAULT_B, "2500"),
                    HEDGE_A, view(HEDGE_A, VAULT_A, "3000")));
            JsonNode hedges = json.valueToTree(page.snapshot(Map.of())).get("hedges");
            assertThat(hedges).hasSize(2);
            JsonNode a = hedges.get(0);
            assertThat(a.get("hedge").asText()).as("by vault").isEqualTo(HEDGE_A.hex());
            assertThat(a.get("vault").asText()).isEqualTo(VAULT_A.hex());
            assertThat(a.get("pair").asText()).isEqualTo("WETH/USDC");
            assertThat(a.get("block").asLong()).isEqualTo(42);
            assertThat(a.get("shorted").get("text").asText()).isEqualTo("4");
            assertThat(a.get("shorted").get("symbol").asText()).isEqualTo("WETH");
            assertThat(a.get("notional").get("units").asText()).isEqualTo("12000000000");
            assertThat(a.get("notional").get("symbol").asText()).isEqualTo("USDC");
            assertThat(a.get("ratio").asDouble()).isEqualTo(0.4);
            assertThat(a.get("maxRatio").asDouble()).isEqualTo(0.5);
            assertThat(a.get("ltv").asDouble()).isCloseTo(0.6, within(1e-12));
            assertThat(a.get("trigger").asDouble()).isEqualTo(0.8);
            assertThat(a.get("target").asDouble()).isEqualTo(0.65);
            assertThat(a.get("margin").get("text").asText()).isEqualTo("20000");
            assertThat(a.get("equity").get("units").asText()).isEqualTo("8000000000");
            assertThat(a.get("pnl").get("text").asText()).as("a loss").isEqualTo("-1000");
            assertThat(a.get("pnl").get("units").asText()).isEqualTo("-1000000000");
            assertThat(a.get("fundingRate").asDouble()).isCloseTo(0.05, within(1e-9));
            // 5% of 12,000 USDC, less the rate's rounding to a whole WAD a second.
            assertThat(new java.math.BigDecimal(
                            a.get("fundingPerYear").get("units").asText()))
                    .isCloseTo(new java.math.BigDecimal("600000000"), within(new java.math.BigDecimal("1")));
            assertThat(a.get("decision").asText()).isEqualTo("hold: under the open LTV");

            JsonNode b = hedges.get(1);
            assertThat(b.get("notional").get("units").asText()).isEqualTo("10000000000");
            assertThat(b.get("ltv").asDouble()).isCloseTo(0.5, within(1e-12));
            assertThat(b.get("pnl").get("text").asText()).as("a profit").isEqualTo("1000");

            // Configured hedges not read yet: the section is there, empty.
            page.withHedges(Map::of);
            assertThat(json.valueToTree(page.snapshot(Map.of())).get("hedges")).isEmpty();
        }
    }

    @Test
    void aHedgeOfAVaultWithoutAPriceShowsItsShortButNoValues() {
        var priced = view(HEDGE_A, VAULT_A, "3000");
        var health = vault(WETH, USDC).address(VAULT_A).collateral("10").build(); // price 0: unknown
        var row = StatusPage.hedge(new Hedger.View(priced.state(), health, "no price", 42));
        assertThat(row.shorted().text()).isEqualTo("4");
        assertThat(row.ratio()).isEqualTo(0.4);
        assertThat(row.notional()).isNull();
        assertThat(row.ltv()).isNull();
        assertThat(row.equity()).isNull();
        assertThat(row.pnl()).isNull();
        assertThat(row.fundingPerYear()).isNull();
    }
}
