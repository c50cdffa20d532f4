package io.unwind.testing;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;

import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgePolicy;
import io.unwind.domain.hedge.HedgeState;
import io.unwind.engine.Hedger;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/** A keeper's reading of a hedge, for the tests of what shows it (the status page, the metrics). */
public final class HedgeViews {
    private HedgeViews() {}

    /** 5% a year, per second, as a WAD. */
    public static final BigInteger FIVE_PCT_A_YEAR =
            new BigInteger("50000000000000000").divide(BigInteger.valueOf(365L * 24 * 3600));

    /**
     * A vault of 10 WETH at 70% LTV whose hedge is short 4 WETH against 20,000 USDC of margin, 9,000 USDC put in by its
     * owner, funded at 5% a year on a reverse market of 90% LLTV, at {@code price} USDC a WETH.
     */
    public static Hedger.View view(Address hedge, Address vault, String price, String decision) {
        var health = vault(WETH, USDC)
                .address(vault)
                .collateral("10")
                .price(price)
                .ltvBps(7000)
                .build();
        var state = new HedgeState(
                hedge,
                vault,
                units("20000", USDC),
                units("4", WETH),
                BigInteger.ZERO,
                units("9000", USDC),
                new HedgePolicy(5000, 7000, 8000, 6500, 100, 50, Duration.ofMinutes(10)),
                Instant.EPOCH,
                FIVE_PCT_A_YEAR,
                new BigInteger("900000000000000000"));
        return new Hedger.View(state, health, decision, 42);
    }
}
