package io.unwind.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.market.MarketBorrowers;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.domain.chain.Address;
import io.unwind.domain.route.Calldata;
import io.unwind.domain.route.Quote;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import io.unwind.route.VenueDepth;
import io.unwind.testing.MarketFixture;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The refresher on a real market: the map follows the oracle and the positions at each head, and the pools' depth is
 * measured again only after {@code depthRefreshBlocks} blocks or a price move past {@code depthPriceMoveBps}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class MarketMapRefresherOnAnvilTest {
    private MarketFixture f;

    @BeforeAll
    void start() {
        f = new MarketFixture(MarketSpec.wethUsdc());
    }

    @AfterAll
    void stop() {
        f.close();
    }

    /** A pool that pays the oracle price less 2% on any amount, counting the quotes it is asked for. */
    static final class FlatPool implements RouteSource {
        final BigInteger[] price;
        int quotes;

        FlatPool(BigInteger[] price) {
            this.price = price;
        }

        @Override
        public String name() {
            return "flat";
        }

        @Override
        public List<Quote> quote(QuoteRequest r) {
            quotes++;
            BigInteger out = r.amountIn()
                    .multiply(price[0])
                    .multiply(BigInteger.valueOf(98))
                    .divide(BigInteger.TEN.pow(38));
            return List.of(new Quote(
                    "flat",
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
    }

    @Test
    void depthIsMeasuredAgainOnlyAfterItsBlocksOrAPriceMove() {
        Address vault = f.vaults.open(VaultSetup.Request.of(LocalChain.devAccount(2), "10", "0.8"), f.price());
        String market = f.health(vault).marketId();
        BigInteger[] oracle = {f.health(vault).price()};
        FlatPool pool = new FlatPool(oracle);
        MarketMaps maps = new MarketMaps();
        var settings =
                new MarketMapSettings(100, 5000, List.of(500, 1000), 10, 100, MarketBorrowers.Settings.defaults());
        var refresher = new MarketMapRefresher(
                f.client,
                f.market.morpho(),
                new TokenCatalog(f.client),
                () -> Set.of(market),
                Optional.of(new VenueDepth(List.of(pool))),
                settings,
                maps);

        var head = f.head();
        refresher.refresh(head);
        MarketMapView first = maps.latest(market).orElseThrow();
        assertThat(first.block()).isEqualTo(head.number());
        assertThat(first.depthBlock()).isEqualTo(head.number());
        assertThat(first.price()).isEqualTo(oracle[0]);
        assertThat(first.borrowers()).isEqualTo(1);
        // 80% LTV against 86%: liquidatable after a fall of about 7%; the flat pool takes anything within 5% and 10%.
        assertThat(first.map().liquidatableWithin(1000))
                .isEqualTo(f.health(vault).collateral());
        assertThat(first.cascade().depthWithin(500).orElseThrow()).isPositive();
        int measured = pool.quotes;
        assertThat(measured).isPositive();

        f.chain.mine(3);
        refresher.refresh(f.head());
        assertThat(pool.quotes).as("3 blocks, same price: the depth is kept").isEqualTo(measured);
        assertThat(maps.latest(market).orElseThrow().depthBlock()).isEqualTo(head.number());

        f.movePrice("2950"); // −1.7%: past the 1% that asks for a new measure
        oracle[0] = f.health(vault).price();
        var moved = f.head();
        refresher.refresh(moved);
        assertThat(pool.quotes).isGreaterThan(measured);
        assertThat(maps.latest(market).orElseThrow().depthBlock()).isEqualTo(moved.number());
        assertThat(maps.latest(market).orElseThrow().price()).isEqualTo(oracle[0]);

        int afterMove = pool.quotes;
        f.chain.mine(10);
        var later = f.head();
        refresher.refresh(later);
        assertThat(pool.quotes).as("10 blocks later: measured again").isGreaterThan(afterMove);
        assertThat(maps.latest(market).orElseThrow().depthBlock()).isEqualTo(later.number());
        assertThat(maps.volatilityMultiplier(
                        market.toUpperCase(java.util.Locale.ROOT).replace("0X", "0x")))
                .isEqualTo(maps.latest(market).orElseThrow().volatilityMultiplier());
    }
}
