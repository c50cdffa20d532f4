package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.route.aggregator.AggregatorMetrics;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Aggregators that lie or fail, during a crash, beside honest on-chain sources. Whatever they do, nothing is built from
 * them (the journal holds only sales through the allow-listed Uniswap routers paying the vault), the breaker or the
 * rejection is counted, and the vault is still deleveraged in time through another source.
 */
@Tag("chain")
class AggregatorFaultsTest {
    private static final String POOLS = "- {dex: uniswap-v3, fee: 3000, depth: 2000000}";

    @Test
    void lyingAggregatorsAreRejectedBeforeAnythingIsSigned() {
        AggregatorScenarioWatch w = new AggregatorScenarioWatch();
        SimulationReport r = run(w, """
                aggregators: [1inch, 0x, paraswap, odos, kyberswap]
                aggregatorFaults: {1inch: wrong-recipient, 0x: foreign-target, paraswap: overstated-quote, odos: server-error,
                                   kyberswap: html-error}
                """);
        assertProtectedThroughHonestSources(r, w, Set.of("1inch", "0x", "paraswap", "odos", "kyberswap"));

        // Calldata paying someone else: read from the calldata itself, refused before simulation.
        assertThat(w.rejected("1inch", "WRONG_RECIPIENT")).isPositive();
        // Calldata aimed at a contract the vault never allow-listed.
        assertThat(w.rejected("0x", "TARGET_NOT_ALLOWED")).isPositive();
        // A quote half again above what its calldata delivers: the simulation gives it away.
        assertThat(w.rejected("paraswap", "SIMULATION_MISMATCH")).isPositive();
        // Whenever it quoted (a rejection that names its router), it was caught; never did its quote pass.
        assertThat(w.rejections("paraswap"))
                .filteredOn(x -> x.router().isPresent())
                .isNotEmpty()
                .allSatisfy(x -> assertThat(x.reason().name()).isIn("SIMULATION_MISMATCH", "BELOW_FLOOR"));
        assertThat(w.rounds)
                .noneSatisfy(f -> assertThat(f.choice().ranking())
                        .anySatisfy(x -> assertThat(x.candidate().source()).isIn("1inch", "0x", "paraswap")));
        // Service failures count against the breaker, which opens and then spares the vendor further calls.
        assertThat(AggregatorMetrics.count(w.registry, "odos", "server_error")).isPositive();
        assertThat(w.breakerCalls("odos", "failed")).isPositive();
        assertThat(AggregatorMetrics.count(w.registry, "odos", "breaker_open")).isPositive();
        assertThat(AggregatorMetrics.count(w.registry, "kyberswap", "malformed"))
                .isPositive();
        assertThat(w.breakerCalls("kyberswap", "failed")).isPositive();
        // Lies are business answers: the liars' services are up, their breakers count no failure.
        assertThat(w.breakerCalls("1inch", "failed")).isZero();
        assertThat(w.breakerCalls("paraswap", "failed")).isZero();
    }

    @Test
    void slowThrottledBrokenAndEmptyAggregatorsAreSkipped() {
        AggregatorScenarioWatch w = new AggregatorScenarioWatch();
        SimulationReport r = run(w, """
                aggregators: [1inch, 0x, paraswap, odos]
                aggregatorFaults: {1inch: slow, 0x: rate-limited, paraswap: malformed-json, odos: no-route}
                """);
        assertProtectedThroughHonestSources(r, w, Set.of("1inch", "0x", "paraswap", "odos"));
        assertThat(AggregatorMetrics.count(w.registry, "1inch", "timeout")).isPositive();
        assertThat(w.breakerCalls("1inch", "failed")).isPositive();
        assertThat(AggregatorMetrics.count(w.registry, "0x", "rate_limited")).isPositive();
        assertThat(w.breakerCalls("0x", "failed")).isPositive();
        assertThat(AggregatorMetrics.count(w.registry, "paraswap", "malformed")).isPositive();
        assertThat(w.breakerCalls("paraswap", "failed")).isPositive();
        // "No route" is an answer, not a failure: counted as such, never against the breaker.
        assertThat(AggregatorMetrics.count(w.registry, "odos", "no_route")).isPositive();
        assertThat(w.breakerCalls("odos", "failed")).isZero();
        assertThat(w.rejected("odos", "SOURCE_ERROR")).isPositive();
        // Each failing vendor is a rejected candidate with a reason, every round it was asked.
        assertThat(w.rejected("1inch", "SOURCE_ERROR") + w.rejected("1inch", "TIMEOUT"))
                .isPositive();
        assertThat(w.rejected("0x", "SOURCE_ERROR")).isPositive();
    }

    private static SimulationReport run(AggregatorScenarioWatch w, String extra) {
        return new SimulationRunner(
                        ScenarioFixtures.parse(AggregatorCrashTest.crash(extra, POOLS)),
                        SimulationRunner.Options.defaults(),
                        w)
                .run();
    }

    private static void assertProtectedThroughHonestSources(
            SimulationReport r, AggregatorScenarioWatch w, Set<String> faulty) {
        var p = CrashScenarioTest.vault(r, "protected");
        assertThat(p.liquidated())
                .as(
                        "protected vault liquidated; ticks: %s",
                        w.outcomes.stream().filter(o -> !o.contains("HEALTHY")).toList())
                .isFalse();
        assertThat(p.maxLtv()).isLessThan(new BigDecimal("0.86"));
        assertThat(p.actions())
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.route()).isNotIn(faulty));
        assertThat(CrashScenarioTest.vault(r, "bare").liquidated()).isTrue();
        // Nothing was built from a faulty vendor: every journaled sale calls an allow-listed Uniswap router with
        // calldata that pays the vault, and names an honest source.
        List<AggregatorScenarioWatch.JournaledSale> sales = w.sales();
        assertThat(sales).isNotEmpty().allSatisfy(s -> {
            assertThat(s.router()).isIn(w.market.swapRouter(), w.market.uniswapV2Router());
            assertThat(s.swap()).get().satisfies(t -> assertThat(t.recipient()).isEqualTo(s.tx().vault()));
            for (String f : faulty) assertThat(s.tx().planSummary().orElse("")).doesNotContain(" via " + f + " ");
        });
    }
}
