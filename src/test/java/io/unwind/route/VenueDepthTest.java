package io.unwind.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Token;
import io.unwind.domain.route.Calldata;
import io.unwind.domain.route.Quote;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The depth search against constant-product pools without fee, whose depth has a closed form: selling A into reserves
 * (x, y) averages y / (x + A), which is the spot y / x less d when A = x·d / (1 − d).
 */
@Tag("pure")
class VenueDepthTest {
    static final Token WETH = new Token(Address.of("0x00000000000000000000000000000000000000e1"), "WETH", 18);
    static final Token USDC = new Token(Address.of("0x00000000000000000000000000000000000000c1"), "USDC", 6);
    static final BlockRef BLOCK = new BlockRef(
            7,
            TxHash.of("0x" + "11".repeat(32)),
            TxHash.of("0x" + "22".repeat(32)),
            Instant.parse("2026-01-01T00:00:00Z"));
    static final BigInteger E18 = BigInteger.TEN.pow(18);

    /** A x·y = k pool without fee, counting its quotes. */
    static final class Pool implements RouteSource {
        final BigInteger x;
        final BigInteger y;
        int quotes;

        Pool(BigInteger x, BigInteger y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public String name() {
            return "pool";
        }

        @Override
        public List<Quote> quote(QuoteRequest r) {
            quotes++;
            if (y.signum() == 0) return List.of(); // no liquidity: no route
            BigInteger out = y.multiply(r.amountIn()).divide(x.add(r.amountIn()));
            return List.of(new Quote(
                    "pool",
                    Address.ZERO,
                    new Calldata(new byte[0]),
                    r.sell().address(),
                    r.buy().address(),
                    r.amountIn(),
                    out,
                    out,
                    0,
                    r.vault()));
        }

        /** The largest amount whose average price is within {@code bps} of the spot: x·d / (1 − d). */
        BigInteger depth(int bps) {
            return x.multiply(BigInteger.valueOf(bps)).divide(BigInteger.valueOf(10_000L - bps));
        }
    }

    /** The oracle price of a pool's spot: y / x × 1e36 (base units). */
    static BigInteger spot(Pool p) {
        return p.y.multiply(BigInteger.TEN.pow(36)).divide(p.x);
    }

    @Test
    void findsEachFallsDepthFromBelowWithinAPercentAndSumsThePools() {
        Pool big = new Pool(BigInteger.valueOf(1_000).multiply(E18), BigInteger.valueOf(3_000_000_000_000L));
        Pool small = new Pool(BigInteger.valueOf(200).multiply(E18), BigInteger.valueOf(600_000_000_000L));
        Pool empty = new Pool(E18, BigInteger.ZERO);
        BigInteger price = spot(big);
        assertThat(spot(small)).isEqualTo(price);

        var depth = new VenueDepth(List.of(big, small, empty))
                .measure(WETH, USDC, price, List.of(1000, 500, 2000), BigInteger.TEN.multiply(E18), BLOCK);

        assertThat(depth.byDropBps().keySet()).containsExactly(500, 1000, 2000);
        for (int bps : List.of(500, 1000, 2000)) {
            BigInteger exact = big.depth(bps).add(small.depth(bps));
            BigInteger found = depth.byDropBps().get(bps);
            // Never more than the pools take (every amount counted was quoted within the fall), within 1% below.
            assertThat(found).as("%d bps", bps).isLessThanOrEqualTo(exact);
            assertThat(new BigDecimal(found).divide(new BigDecimal(exact), MathContext.DECIMAL64))
                    .as("%d bps", bps)
                    .isGreaterThan(new BigDecimal("0.99"));
        }
        assertThat(empty.quotes).as("a pool without liquidity costs one quote").isEqualTo(1);
        assertThat(big.quotes).isLessThanOrEqualTo(1 + 3 * VenueDepth.QUOTES_PER_LEVEL);
        assertThat(depth.quotes()).isEqualTo(big.quotes + small.quotes + empty.quotes);
        assertThat(depth.failed()).isEmpty();
    }

    @Test
    void aPoolFarDeeperThanTheHintIsReportedAtSixtyFourTimesIt() {
        Pool ocean =
                new Pool(BigInteger.valueOf(10_000_000).multiply(E18), BigInteger.valueOf(30_000_000_000_000_000L));
        BigInteger hint = E18;
        var depth = new VenueDepth(List.of(ocean)).measure(WETH, USDC, spot(ocean), List.of(500), hint, BLOCK);
        assertThat(depth.byDropBps().get(500)).isEqualTo(hint.multiply(BigInteger.valueOf(64)));
    }

    @Test
    void aFailingSourceIsNamedAndCountsForNothing() {
        RouteSource down = new RouteSource() {
            @Override
            public String name() {
                return "down";
            }

            @Override
            public List<Quote> quote(QuoteRequest r) {
                throw new SourceException("down", "connection refused");
            }
        };
        var depth = new VenueDepth(List.of(down)).measure(WETH, USDC, BigInteger.TEN.pow(27), List.of(500), E18, BLOCK);
        assertThat(depth.byDropBps().get(500)).isZero();
        assertThat(depth.failed()).containsExactly("down: down: connection refused");
    }
}
