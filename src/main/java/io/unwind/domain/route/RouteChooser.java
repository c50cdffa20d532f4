package io.unwind.domain.route;

import io.unwind.domain.fee.GasCost;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the best route: the one that delivers the most to the vault net of gas (and of the L1 data fee on an OP-stack
 * chain), per unit of collateral sold.
 *
 * <p>Everything a sale brings reaches the owner: the vault repays {@code max(minRepaid, oracleFloor)} and keeps the
 * rest in its reserve (the next top-up's money). So the value of a route is its simulated proceeds (debt repaid +
 * surplus) minus its gas cost in loan-token units. Candidates sized differently (each re-sized to its own rate) are
 * compared per unit of collateral sold, {@code net_a / sold_a} against {@code net_b / sold_b}, by cross-multiplying
 * integers; for equal sizes that is simply the larger net value.
 *
 * <p>Ties are broken deterministically: more debt repaid, then less gas, then source name, router address and calldata,
 * so that two keepers (or two runs) with the same inputs choose the same route.
 */
public final class RouteChooser {
    private RouteChooser() {}

    /**
     * @param feePerGas the gas price the transaction is expected to pay (use its {@code maxFeePerGas}: the cost is then
     *     never understated)
     * @param nativePrice loan-token base units per 1e18 wei
     */
    public static RouteChoice choose(List<? extends Candidate> candidates, Wei feePerGas, BigInteger nativePrice) {
        List<Ranked> ranked = new ArrayList<>();
        List<Candidate.Rejected> rejected = new ArrayList<>();
        for (Candidate c : candidates) {
            switch (c) {
                case Candidate.Viable v -> ranked.add(rank(v, feePerGas, nativePrice));
                case Candidate.Rejected r -> rejected.add(r);
            }
        }
        ranked.sort(BEST_FIRST);
        rejected.sort(Comparator.comparing(Candidate.Rejected::source)
                .thenComparing(r -> r.reason().name()));
        return new RouteChoice(ranked, rejected);
    }

    static Ranked rank(Candidate.Viable v, Wei feePerGas, BigInteger nativePrice) {
        // The full cost of the transaction: its gas, plus what an OP-stack chain charges for its bytes on L1 (an
        // aggregator's long calldata can cost more there than a better price brings).
        BigInteger gasCost = GasCost.inLoanUnits(v.gasUnits(), feePerGas, nativePrice)
                .add(GasCost.weiInLoanUnits(v.dataFee(), nativePrice));
        return new Ranked(v, gasCost, v.simulation().proceeds().subtract(gasCost));
    }

    /** Higher net value per collateral sold first; ties as described on the class. */
    static final Comparator<Ranked> BEST_FIRST = ((Comparator<Ranked>) (a, b) ->
                    // a better than b  <=>  net_a / sold_a > net_b / sold_b  <=>  net_a * sold_b > net_b * sold_a
                    b.netValue()
                            .multiply(a.collateralSold())
                            .compareTo(a.netValue().multiply(b.collateralSold())))
            .thenComparing((Ranked r) -> r.candidate().simulation().repaid(), Comparator.reverseOrder())
            .thenComparingLong(r -> r.candidate().gasUnits())
            .thenComparing(r -> r.candidate().quote().source())
            .thenComparing(r -> r.candidate().quote().router())
            .thenComparing(r -> r.candidate().quote().calldata().hex());
}
