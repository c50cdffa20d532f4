package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unwind market map} on a devnet with three borrowers at different LTVs: each one's collateral is in the bucket
 * its liquidation price falls in, computed here from its position as the lens reads it; a price move shifts them, and
 * one over the LLTV is counted as liquidatable now.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class MarketMapCommandTest {
    @TempDir
    static Path tmp;

    private Devnet devnet;
    private String config;
    private List<String> vaults;

    @BeforeAll
    void openThreeBorrowers() throws Exception {
        devnet = new Devnet(tmp.resolve("devnet"));
        config = devnet.config.toString();
        // At the devnet's 3000 USDC per WETH and an LLTV of 86%: liquidation prices of about 2326 (−22.5%), 2791
        // (−7%) and 727 (−75.8%, past the 50% range).
        vaults = List.of(openVault(4, "10", "20000"), openVault(5, "5", "12000"), openVault(6, "8", "5000"));
    }

    @AfterAll
    void stopDevnet() {
        if (devnet != null) devnet.close();
    }

    private Unwind.Run ok(String... args) {
        Unwind.Run r = Unwind.run(Unwind.with(config, args));
        assertThat(r.exit()).as("%s", r).isZero();
        return r;
    }

    private String openVault(int owner, String collateral, String borrow) {
        String vault = ok("vault", "create", "--dev-account", Integer.toString(owner), "--json")
                .json()
                .get("vault")
                .asText();
        ok("vault", "fund", collateral, "--vault", vault, "--dev-account", Integer.toString(owner));
        ok("vault", "borrow", borrow, "--vault", vault, "--dev-account", Integer.toString(owner));
        return vault;
    }

    private VaultHealth health(String vault) {
        ChainOptions o = new ChainOptions();
        o.config = devnet.config;
        try (ChainContext c = o.open()) {
            return c.health(Address.of(vault));
        }
    }

    /**
     * The 1%-bucket a position is in, from its collateral and debt: the fall f = 1 − debt / (collateral × LLTV × price)
     * in (k%, (k+1)%] is bucket k; -1 when liquidatable now, 50 or more past the range.
     */
    private static int expectedBucket(VaultHealth h) {
        BigDecimal value = new BigDecimal(h.collateral())
                .multiply(new BigDecimal(h.price()))
                .movePointLeft(36);
        BigDecimal maxDebt = value.multiply(new BigDecimal(h.lltv())).movePointLeft(18);
        BigDecimal fall = BigDecimal.ONE.subtract(new BigDecimal(h.debt()).divide(maxDebt, MathContext.DECIMAL128));
        if (fall.signum() <= 0) return -1;
        return fall.movePointRight(2).setScale(0, RoundingMode.CEILING).intValueExact() - 1;
    }

    private static BigInteger units(JsonNode amount) {
        return new BigInteger(amount.get("units").asText());
    }

    private void checkBuckets(JsonNode market) {
        Map<Integer, BigInteger> expected = new HashMap<>();
        BigInteger now = BigInteger.ZERO;
        BigInteger beyond = BigInteger.ZERO;
        for (String v : vaults) {
            VaultHealth h = health(v);
            int k = expectedBucket(h);
            if (k < 0) now = now.add(h.collateral());
            else if (k >= 50) beyond = beyond.add(h.collateral());
            else expected.merge(k, h.collateral(), BigInteger::add);
        }
        JsonNode buckets = market.get("buckets");
        assertThat(buckets).hasSize(50);
        BigInteger cumulative = now;
        for (int k = 0; k < 50; k++) {
            JsonNode b = buckets.get(k);
            BigInteger want = expected.getOrDefault(k, BigInteger.ZERO);
            assertThat(units(b.get("collateral"))).as("bucket %d", k).isEqualTo(want);
            assertThat(b.get("positions").asInt()).as("bucket %d", k).isEqualTo(want.signum());
            assertThat(b.get("upperDropBps").asInt()).isEqualTo(100 * k);
            assertThat(b.get("lowerDropBps").asInt()).isEqualTo(100 * (k + 1));
            cumulative = cumulative.add(want);
            assertThat(units(b.get("cumulative"))).isEqualTo(cumulative);
        }
        assertThat(units(market.get("liquidatableNow").get("collateral"))).isEqualTo(now);
        assertThat(units(market.get("beyondRange").get("collateral"))).isEqualTo(beyond);
        assertThat(market.get("borrowers").asInt()).isEqualTo(3);
    }

    @Test
    void eachBorrowersCollateralIsInTheStepOfItsLiquidationPriceBeforeAndAfterAFall() {
        JsonNode before = ok("market", "map", "--json").json();
        JsonNode market = before.get("markets").get(0);
        assertThat(before.get("markets")).hasSize(1);
        assertThat(market.get("label").asText()).isEqualTo("WETH/USDC 86%");
        assertThat(market.get("priceText").asText()).isEqualTo("3000");
        checkBuckets(market);
        // The positions opened: 10 WETH about 22.5% down, 5 WETH about 7% down, 8 WETH past the range.
        assertThat(units(market.get("buckets").get(22).get("collateral")))
                .isEqualTo(new BigInteger("10" + "0".repeat(18)));
        assertThat(units(market.get("buckets").get(6).get("collateral")))
                .isEqualTo(new BigInteger("5" + "0".repeat(18)));
        assertThat(units(market.get("beyondRange").get("collateral"))).isEqualTo(new BigInteger("8" + "0".repeat(18)));

        // The pools' depth at 5%, 10% and 20%: measured, and a deeper fall absorbs at least as much.
        JsonNode levels = market.get("levels");
        assertThat(levels).hasSize(3);
        BigInteger prev = BigInteger.ZERO;
        for (JsonNode l : levels) {
            BigInteger d = units(l.get("depth"));
            assertThat(d).isGreaterThanOrEqualTo(prev).isPositive();
            prev = d;
        }
        assertThat(units(levels.get(1).get("liquidatable"))).isEqualTo(new BigInteger("5" + "0".repeat(18)));
        assertThat(market.get("volatilityMultiplier").asDouble()).isBetween(1.0, 3.0);

        ok("devnet", "price", "2700");
        JsonNode after = ok("market", "map", "--json").json().get("markets").get(0);
        assertThat(after.get("priceText").asText()).isEqualTo("2700");
        checkBuckets(after);
        // 5 WETH is liquidatable now; 10 WETH is about 13.9% down.
        assertThat(units(after.get("liquidatableNow").get("collateral")))
                .isEqualTo(new BigInteger("5" + "0".repeat(18)));
        assertThat(units(after.get("buckets").get(13).get("collateral")))
                .isEqualTo(new BigInteger("10" + "0".repeat(18)));

        // The terminal histogram: a row per step, the current price and the depth levels marked.
        Unwind.Run text = ok("market", "map", "--step", "5%", "--range", "30%");
        assertThat(text.out())
                .contains("WETH/USDC 86%", "<- now", "pools absorb", "within 5%", "within 10%", "volatility ×");
        assertThat(text.out().lines().filter(l -> l.matches("^\\d[\\d.]* +-\\d+% .*")))
                .hasSize(6);
    }

    @Test
    void aMarketIdThatIsNotOneIsAUsageError() {
        Unwind.Run r = Unwind.run(Unwind.with(config, "market", "map", "--market", "0x12"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("0x and 64 hex digits");
    }
}
