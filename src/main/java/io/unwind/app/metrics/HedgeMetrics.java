package io.unwind.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgeState;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.engine.Hedger;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleBiFunction;

/**
 * The hedges' gauges (docs/HEDGE.md), one series per configured hedge labelled {@code hedge} and {@code vault}, from
 * the keeper's last reading of each: amounts in whole tokens of the vault's loan token at the vault's price. NaN until
 * the hedge is first read, and (all but the ratio) while the vault's price is unknown. The series are bounded by the
 * configuration's hedges.
 */
public final class HedgeMetrics {
    public static final String NOTIONAL = "unwind_hedge_notional";
    public static final String RATIO = "unwind_hedge_ratio";
    public static final String LTV = "unwind_hedge_ltv";
    public static final String PNL = "unwind_hedge_pnl";
    public static final String FUNDING_PER_YEAR = "unwind_hedge_funding_per_year";

    private final Supplier<Map<Address, Hedger.View>> views;

    /** The one figure that needs no price. */
    private static final ToDoubleBiFunction<HedgeState, VaultHealth> RATIO_OF =
            (s, h) -> s.ratioBps(h.collateral()) / 10_000.0;

    /**
     * @param hedgeOfVault the configured hedges, vault -> hedge
     * @param views each hedge's last reading, by hedge (the keeper's, or over a cluster node's partitions)
     */
    public HedgeMetrics(
            MeterRegistry registry, Map<Address, Address> hedgeOfVault, Supplier<Map<Address, Hedger.View>> views) {
        this.views = views;
        hedgeOfVault.forEach((vault, hedge) -> {
            gauge(
                    registry,
                    NOTIONAL,
                    hedge,
                    vault,
                    "The short's value, in whole loan tokens at the vault's price",
                    (s, h) -> tokens(s.shortValue(h.price()), h));
            gauge(registry, RATIO, hedge, vault, "The short as a fraction of the vault's collateral", RATIO_OF);
            gauge(
                    registry,
                    LTV,
                    hedge,
                    vault,
                    "The hedge's LTV (the short's value over its margin), a fraction: the keeper buys back at the"
                            + " hedge's trigger",
                    (s, h) -> Ltv.fractionAsDouble(s.ltv(h.price())));
            gauge(
                    registry,
                    PNL,
                    hedge,
                    vault,
                    "The hedge's equity less the principal its owner put in, in whole loan tokens (negative: a loss)",
                    (s, h) -> tokens(s.equity(h.price()).subtract(s.principal()), h));
            gauge(
                    registry,
                    FUNDING_PER_YEAR,
                    hedge,
                    vault,
                    "What the short costs a year at its current borrow rate, in whole loan tokens",
                    (s, h) -> tokens(s.fundingPerYear(h.price()), h));
        });
    }

    private void gauge(
            MeterRegistry registry,
            String name,
            Address hedge,
            Address vault,
            String description,
            ToDoubleBiFunction<HedgeState, VaultHealth> value) {
        // Held strongly: Micrometer keeps a gauge's object weakly, and nothing else keeps this one (its gauges read
        // NaN once it was collected).
        Gauge.builder(name, this, m -> m.read(hedge, value))
                .strongReference(true)
                .tag("hedge", hedge.hex())
                .tag("vault", vault.hex())
                .description(description)
                .register(registry);
    }

    private double read(Address hedge, ToDoubleBiFunction<HedgeState, VaultHealth> value) {
        Hedger.View v = views.get().get(hedge);
        if (v == null || (value != RATIO_OF && !v.vault().priceKnown())) return Double.NaN;
        return value.applyAsDouble(v.state(), v.vault());
    }

    private static double tokens(BigInteger units, VaultHealth h) {
        return new BigDecimal(units).movePointLeft(h.loanToken().decimals()).doubleValue();
    }
}
