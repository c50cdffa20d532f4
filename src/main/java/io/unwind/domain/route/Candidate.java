package io.unwind.domain.route;

import io.unwind.domain.chain.Address;
import io.unwind.domain.plan.SaleAssessment;
import io.unwind.domain.plan.SaleOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** One route for one sale, after checking and simulating it: viable, or rejected with a reason. */
public sealed interface Candidate {

    String source();

    /**
     * A route that passed every check and whose exact vault call succeeded in simulation.
     *
     * @param quote the route
     * @param order the vault call's arguments for it
     * @param simulation the simulated outcome
     * @param measuredGas the gas an estimate of the exact vault call gave at the latest block, when routing measured it
     *     (so that it need not be estimated again to send it)
     * @param dataFee what the chain charges for the transaction's bytes besides its gas, in wei: the L1 data fee of an
     *     OP-stack chain, zero elsewhere (on Arbitrum the L1 part is in the node's gas estimate)
     */
    record Viable(
            Quote quote,
            SaleOrder order,
            Simulation.Succeeded simulation,
            OptionalLong measuredGas,
            io.unwind.domain.money.Wei dataFee)
            implements Candidate {
        public Viable {
            Objects.requireNonNull(quote, "quote");
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(simulation, "simulation");
            Objects.requireNonNull(measuredGas, "measuredGas");
            Objects.requireNonNull(dataFee, "dataFee");
            if (!quote.amountIn().equals(order.collateral().units())) {
                throw new IllegalArgumentException("the quote sells " + quote.amountIn() + ", the order "
                        + order.collateral().units());
            }
        }

        public Viable(Quote quote, SaleOrder order, Simulation.Succeeded simulation) {
            this(quote, order, simulation, OptionalLong.empty(), io.unwind.domain.money.Wei.ZERO);
        }

        /** This route charged the data fee its exact transaction pays on the chain (an OP-stack chain's L1 fee). */
        public Viable withDataFee(io.unwind.domain.money.Wei fee) {
            return new Viable(quote, order, simulation, measuredGas, fee);
        }

        /**
         * This route with the gas its exact call measured, charged if more than the simulation used: nothing a source
         * or a simulation says about gas is believed below what the chain's estimate gives.
         */
        public Viable measured(long gas) {
            Simulation.Succeeded charged = gas <= simulation.gasUsed()
                    ? simulation
                    : new Simulation.Succeeded(simulation.repaid(), simulation.proceeds(), gas);
            return new Viable(quote, order, charged, OptionalLong.of(gas), dataFee);
        }

        @Override
        public String source() {
            return quote.source();
        }

        /** Gas the route is charged with: the larger of the simulation's and the source's estimate. */
        public long gasUnits() {
            return Math.max(simulation.gasUsed(), quote.gasUnits());
        }
    }

    /** A route that was dropped, and why. */
    record Rejected(String source, Optional<Address> router, Rejection rejection) implements Candidate {
        public Rejected {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(rejection, "rejection");
        }

        public RejectReason reason() {
            return rejection.reason();
        }
    }

    /** A source that gave no usable quote (timeout, error, no route). */
    static Candidate.Rejected failed(String source, RejectReason reason, String detail) {
        return new Rejected(source, Optional.empty(), new Rejection(reason, detail));
    }

    static Candidate.Rejected rejected(Quote quote, Rejection rejection) {
        return new Rejected(quote.source(), Optional.of(quote.router()), rejection);
    }

    /** A quote the sizer refused. */
    static Candidate.Rejected rejected(Quote quote, SaleAssessment.Rejected r) {
        return rejected(quote, new Rejection(RejectReason.of(r.reason()), r.reason() + ": " + r.detail()));
    }

    /**
     * A checked quote with its order and the simulation of the exact call. A success is believed only if it is
     * consistent with the order: at least the required proceeds arrived and at least the predicted debt was repaid.
     */
    static Candidate simulated(Quote quote, SaleOrder order, Simulation simulation) {
        return switch (simulation) {
            case Simulation.Reverted r -> rejected(quote, new Rejection(RejectReason.SIMULATION_REVERTED, r.reason()));
            case Simulation.Succeeded ok -> {
                if (ok.proceeds().compareTo(order.proceedsRequired().units()) < 0) {
                    yield rejected(
                            quote,
                            new Rejection(
                                    RejectReason.SIMULATION_MISMATCH,
                                    "simulated proceeds " + ok.proceeds() + " < required "
                                            + order.proceedsRequired().units()));
                }
                if (ok.repaid().compareTo(order.predictedRepaid().units()) < 0) {
                    yield rejected(
                            quote,
                            new Rejection(
                                    RejectReason.SIMULATION_MISMATCH,
                                    "simulated repayment " + ok.repaid() + " < predicted "
                                            + order.predictedRepaid().units()));
                }
                yield new Viable(quote, order, ok);
            }
        };
    }
}
