package io.unwind.domain.fee;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Urgency;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/** Fees never exceed the applicable cap; replacements always satisfy geth's +10% on both fields, or say so. */
@Tag("pure")
class FeePolicyPropertiesTest {

    @Provide
    Arbitrary<Wei> gwei() {
        // 0, or 0.0001 to 10,000 gwei spread over the decades, with odd wei values so that rounding matters.
        Arbitrary<Integer> mantissa = Arbitraries.integers().between(1, 9999);
        Arbitrary<Integer> exponent = Arbitraries.integers().between(5, 9);
        Arbitrary<Wei> spread = Combinators.combine(mantissa, exponent)
                .as((m, e) -> Wei.of(
                        BigInteger.valueOf(m).multiply(BigInteger.TEN.pow(e)).add(BigInteger.valueOf(m % 7))));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Wei.ZERO)), Tuple.of(19, spread));
    }

    @Provide
    Arbitrary<FeeHistory> histories() {
        // One block's [p25, p90] tips, in order.
        Arbitrary<List<Wei>> row =
                gwei().list().ofSize(2).map(r -> r.stream().sorted().toList());
        return Combinators.combine(gwei(), row.list().ofMinSize(0).ofMaxSize(20))
                .as((next, rows) -> {
                    List<Wei> bases = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) bases.add(next);
                    return new FeeHistory(bases, next, List.of(25, 90), rows);
                });
    }

    @Provide
    Arbitrary<Eip1559Fees> fees() {
        return Combinators.combine(gwei(), gwei()).as((a, b) -> new Eip1559Fees(a.max(b), a.min(b)));
    }

    @Property(tries = 3000)
    void feesSentNeverExceedTheApplicableCap(
            @ForAll("histories") FeeHistory history,
            @ForAll @IntRange(min = 0, max = 4000) int normalPermilleOfBase,
            @ForAll @IntRange(min = 0, max = 4000) int emergencyExtraPermilleOfBase,
            @ForAll("gwei") Wei capOffset,
            @ForAll @DoubleRange(min = 0, max = 1) double urgency) {
        // Caps around the base fee (0 to 4x, plus an offset), where all four outcomes happen.
        Wei next = history.nextBaseFee();
        Wei normal = next.mulDivUp(normalPermilleOfBase, 1000).plus(capOffset);
        FeeCaps caps = new FeeCaps(normal, normal.plus(next.mulDivUp(emergencyExtraPermilleOfBase, 1000)));
        FeePolicy policy = new FeePolicy(FeeSettings.defaults());
        Urgency u = Urgency.ofScore(urgency);
        FeeDecision d = policy.decide(history, u, caps);
        Statistics.collect(d.getClass().getSimpleName());
        Statistics.coverage(c -> {
            for (String kind : List.of("AtMarket", "Capped", "PayAtCap", "Wait"))
                c.check(kind).percentage(p -> p > 1);
        });
        Wei cap = policy.isEmergency(u) ? caps.emergency() : caps.normal();
        assertThat(d.cap()).isEqualTo(cap);
        d.toSend().ifPresent(f -> {
            assertThat(f.maxFeePerGas()).isLessThanOrEqualTo(cap);
            assertThat(f.maxPriorityFeePerGas()).isLessThanOrEqualTo(f.maxFeePerGas());
        });
        switch (d) {
            case FeeDecision.AtMarket m ->
                assertThat(m.fees().maxFeePerGas())
                        .isEqualTo(history.nextBaseFee().times(2).plus(m.fees().maxPriorityFeePerGas()));
            case FeeDecision.Capped c ->
                assertThat(c.fees().includableAt(history.nextBaseFee())).isTrue();
            case FeeDecision.PayAtCap p -> assertThat(policy.isEmergency(u)).isTrue();
            case FeeDecision.Wait w -> assertThat(policy.isEmergency(u)).isFalse();
        }
    }

    @Property(tries = 3000)
    void aReplacementBeatsTheOldFeesByTenPercentOnBothFieldsOrSaysResendUnchanged(
            @ForAll("fees") Eip1559Fees old,
            @ForAll("fees") Eip1559Fees market,
            @ForAll("gwei") Wei cap,
            @ForAll @IntRange(min = 1100, max = 2000) int bumpPermille) {
        BumpDecision d = FeePolicy.bump(old, market, cap, bumpPermille);
        Statistics.collect(d.getClass().getSimpleName());
        Statistics.coverage(c -> {
            c.check("Replace").percentage(p -> p > 10);
            c.check("ResendUnchanged").percentage(p -> p > 10);
        });
        switch (d) {
            case BumpDecision.Replace r -> {
                assertGethAccepts(old, r.fees());
                assertThat(r.fees().maxFeePerGas()).isLessThanOrEqualTo(cap);
                if (!r.capped()) {
                    assertThat(r.fees().maxFeePerGas()).isGreaterThanOrEqualTo(market.maxFeePerGas());
                    assertThat(r.fees().maxPriorityFeePerGas()).isGreaterThanOrEqualTo(market.maxPriorityFeePerGas());
                }
            }
            case BumpDecision.ResendUnchanged u -> {
                assertThat(u.current()).isEqualTo(old);
                // No fee cap within the cap satisfies geth: its +10% minimum is over the cap.
                assertThat(cap).isLessThan(FeePolicy.minimumReplacement(old).maxFeePerGas());
            }
        }
    }

    /** geth's txpool rule (legacypool, PriceBump = 10): strictly higher, and at least old * 110 / 100 rounded down. */
    static void assertGethAccepts(Eip1559Fees old, Eip1559Fees replacement) {
        for (BigInteger[] pair : new BigInteger[][] {
            {old.maxFeePerGas().value(), replacement.maxFeePerGas().value()},
            {
                old.maxPriorityFeePerGas().value(),
                replacement.maxPriorityFeePerGas().value()
            }
        }) {
            BigInteger threshold = pair[0].multiply(BigInteger.valueOf(110)).divide(BigInteger.valueOf(100));
            assertThat(pair[1]).isGreaterThan(pair[0]).isGreaterThanOrEqualTo(threshold);
        }
    }
}
