package io.unwind.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.risk.MarketVolatility;
import io.unwind.domain.risk.PriceVolatility;
import io.unwind.engine.RiskSettings;
import io.unwind.engine.RiskTracker;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The markets' volatility survives a restart: written by one tracker, read back exactly by the next, per chain. */
@Tag("pure")
class MarketRiskTest {
    static final String MARKET_A = "0x" + "a1".repeat(32);
    static final String MARKET_B = "0x" + "b2".repeat(32);
    static final BigInteger E36 = BigInteger.TEN.pow(36);

    Database db;

    @BeforeEach
    void open() {
        // H2 here; the same SQL runs on PostgreSQL under every clustered keeper of the cluster tests, which write their
        // markets' volatility every block.
        db = Database.open(Database.inMemoryUrl("risk-" + UUID.randomUUID()), "sa", "");
    }

    @AfterEach
    void close() {
        db.close();
    }

    MarketRisk table(long chain) {
        return new MarketRisk(
                db.dataSource(), Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC), chain);
    }

    @Test
    void aRestartedTrackerPlansWithTheSameVolatility() {
        RiskTracker first = new RiskTracker(RiskSettings.DEFAULTS, store(table(1)));
        long b = 100;
        BigInteger p = BigInteger.valueOf(3000).multiply(E36);
        for (int i = 0; i < 60; i++, b++) {
            p = p.multiply(BigInteger.valueOf(i % 2 == 0 ? 1030 : 970)).divide(BigInteger.valueOf(1000));
            first.observeOracle(MARKET_A, b, p);
            first.observePool(MARKET_A, b, p.add(BigInteger.valueOf(i)));
            first.observeOracle(MARKET_B, b, BigInteger.valueOf(1).multiply(E36));
            if (i % 7 == 0) first.persist();
        }
        first.persist();
        var before = first.readings();
        assertThat(before.get(MARKET_A).sigmaAnnual()).isGreaterThan(10); // ±3% a block is wild

        RiskTracker second = new RiskTracker(RiskSettings.DEFAULTS, store(table(1)));
        assertThat(second.readings()).containsOnlyKeys(before.keySet());
        // The same estimates (whether the oracle has been quiet is not kept: after a restart the pool counts until the
        // oracle moves, the cautious side; here both sources give the same number).
        before.forEach((m, r) -> assertThat(second.reading(m).sigmaPerBlock()).isEqualTo(r.sigmaPerBlock()));
        // The next price continues from the restored one, not from nothing.
        second.observeOracle(MARKET_A, b, p);
        assertThat(second.reading(MARKET_A).sigmaPerBlock()).isPositive();

        // Another chain's keeper sees none of it.
        assertThat(table(8453).load()).isEmpty();
    }

    @Test
    void aMarketSeenOnlyByItsOracleHasNoPoolRow() {
        MarketVolatility v = MarketVolatility.EMPTY
                .observeOracle(1, E36, PriceVolatility.HalfLives.DEFAULT)
                .observeOracle(2, E36.add(E36.divide(BigInteger.valueOf(100))), PriceVolatility.HalfLives.DEFAULT);
        table(1).save(MARKET_A, v);
        table(1).save(MARKET_A, v); // again: an update, not a second row
        Map<String, MarketVolatility> back = table(1).load();
        assertThat(back).containsOnlyKeys(MARKET_A);
        assertThat(back.get(MARKET_A)).isEqualTo(v);
        assertThat(back.get(MARKET_A).pool()).isEqualTo(PriceVolatility.EMPTY);
    }

    static RiskTracker.Store store(MarketRisk t) {
        return new RiskTracker.Store() {
            @Override
            public Map<String, MarketVolatility> loadVolatility() {
                return t.load();
            }

            @Override
            public void saveVolatility(String marketId, MarketVolatility v) {
                t.save(marketId, v);
            }
        };
    }
}
