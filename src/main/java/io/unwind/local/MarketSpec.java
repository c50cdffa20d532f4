package io.unwind.local;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a local market looks like: two tokens with their decimals, the price (loan tokens per whole collateral token),
 * the LLTV, the loan tokens lenders supply to Morpho, and the DEX pools with their depth (loan-token value put on each
 * side).
 */
public record MarketSpec(
        TokenSpec collateral,
        TokenSpec loan,
        BigDecimal price,
        BigDecimal lltv,
        BigDecimal marketLiquidity,
        Duration oracleMaxAge,
        List<PoolSpec> pools) {

    public record TokenSpec(String symbol, int decimals) {
        public TokenSpec {
            Objects.requireNonNull(symbol, "symbol");
            if (decimals < 0 || decimals > 30)
                throw new IllegalArgumentException("decimals must be 0..30, got " + decimals);
        }
    }

    public enum Dex {
        UNISWAP_V3("uniswap-v3"),
        UNISWAP_V2("uniswap-v2");

        private final String id;

        Dex(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Dex parse(String s) {
            for (Dex d : values()) if (d.id.equalsIgnoreCase(s)) return d;
            throw new IllegalArgumentException("unknown dex '" + s + "' (known: uniswap-v3, uniswap-v2)");
        }
    }

    /** @param fee the V3 fee tier in hundredths of a bip (500, 3000, 10000); ignored for V2 */
    public record PoolSpec(Dex dex, int fee, BigDecimal depth) {}

    public MarketSpec {
        Objects.requireNonNull(collateral, "collateral");
        Objects.requireNonNull(loan, "loan");
        if (price.signum() <= 0) throw new IllegalArgumentException("price must be > 0");
        if (lltv.signum() <= 0 || lltv.compareTo(BigDecimal.ONE) >= 0)
            throw new IllegalArgumentException("lltv must be in (0, 1)");
        pools = List.copyOf(pools);
    }

    /** WETH (18) against USDC (6) at 3000, LLTV 86%, a 2M V3 pool (0.3%) and a 500k V2 pool. */
    public static MarketSpec wethUsdc() {
        return new MarketSpec(
                new TokenSpec("WETH", 18),
                new TokenSpec("USDC", 6),
                new BigDecimal("3000"),
                new BigDecimal("0.86"),
                new BigDecimal("50000000"),
                Duration.ofHours(1),
                List.of(
                        new PoolSpec(Dex.UNISWAP_V3, 3000, new BigDecimal("2000000")),
                        new PoolSpec(Dex.UNISWAP_V2, 0, new BigDecimal("500000"))));
    }

    public MarketSpec withTokens(TokenSpec collateral, TokenSpec loan) {
        return new MarketSpec(collateral, loan, price, lltv, marketLiquidity, oracleMaxAge, pools);
    }

    public MarketSpec withPrice(BigDecimal p) {
        return new MarketSpec(collateral, loan, p, lltv, marketLiquidity, oracleMaxAge, pools);
    }

    public MarketSpec withMarketLiquidity(BigDecimal l) {
        return new MarketSpec(collateral, loan, price, lltv, l, oracleMaxAge, pools);
    }

    public MarketSpec withPools(List<PoolSpec> p) {
        return new MarketSpec(collateral, loan, price, lltv, marketLiquidity, oracleMaxAge, p);
    }
}
