package io.unwind.store;

import io.unwind.domain.risk.Ewma;
import io.unwind.domain.risk.MarketVolatility;
import io.unwind.domain.risk.PriceVolatility;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** The markets' volatility estimates in the journal's database (table {@code market_volatility}), per chain. */
public final class MarketRisk {
    private static final String ORACLE = "oracle";
    private static final String POOL = "pool";

    private final DataSource ds;
    private final Clock clock;
    private final long chainId;

    public MarketRisk(DataSource ds, Clock clock, long chainId) {
        this.ds = ds;
        this.clock = clock;
        this.chainId = chainId;
    }

    /** Every market's estimates on this chain, by market id. */
    public Map<String, MarketVolatility> load() {
        return Sql.read(ds, "read the markets' volatility", c -> {
            Map<String, PriceVolatility[]> rows = new HashMap<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM market_volatility WHERE chain_id = ?", chainId);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PriceVolatility v = new PriceVolatility(
                            rs.getLong("block"),
                            new BigInteger(rs.getString("price")),
                            new Ewma(rs.getDouble("fast_weighted"), rs.getDouble("fast_weight")),
                            new Ewma(rs.getDouble("slow_weighted"), rs.getDouble("slow_weight")),
                            rs.getInt("samples"));
                    PriceVolatility[] pair = rows.computeIfAbsent(rs.getString("market_id"), k ->
                            new PriceVolatility[] {PriceVolatility.EMPTY, PriceVolatility.EMPTY});
                    pair[POOL.equals(rs.getString("source")) ? 1 : 0] = v;
                }
            }
            Map<String, MarketVolatility> out = new TreeMap<>();
            rows.forEach((m, p) -> out.put(m, new MarketVolatility(p[0], p[1])));
            return out;
        });
    }

    /** Writes a market's estimates (both sources that have seen a price). */
    public void save(String marketId, MarketVolatility v) {
        Sql.inTransaction(ds, "write the volatility of market " + marketId, c -> {
            write(c, marketId, ORACLE, v.oracle());
            write(c, marketId, POOL, v.pool());
            return null;
        });
    }

    private void write(java.sql.Connection c, String marketId, String source, PriceVolatility v)
            throws java.sql.SQLException {
        if (v.block() < 0) return;
        Object[] values = {
            v.block(),
            v.price().toString(),
            v.fast().weighted(),
            v.fast().weight(),
            v.slow().weighted(),
            v.slow().weight(),
            v.samples(),
            clock.instant()
        };
        int n;
        try (PreparedStatement ps = Sql.prepare(
                c,
                "UPDATE market_volatility SET block = ?, price = ?, fast_weighted = ?, fast_weight = ?,"
                        + " slow_weighted = ?, slow_weight = ?, samples = ?, updated_at = ?"
                        + " WHERE chain_id = ? AND market_id = ? AND source = ?",
                concat(values, chainId, marketId, source))) {
            n = ps.executeUpdate();
        }
        if (n > 0) return;
        try (PreparedStatement ps = Sql.prepare(
                c,
                "INSERT INTO market_volatility (block, price, fast_weighted, fast_weight, slow_weighted, slow_weight,"
                        + " samples, updated_at, chain_id, market_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                concat(values, chainId, marketId, source))) {
            ps.executeUpdate();
        }
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
