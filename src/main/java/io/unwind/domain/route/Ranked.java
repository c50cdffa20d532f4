package io.unwind.domain.route;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A viable candidate with its score.
 *
 * @param gasCost what its transaction costs, in loan-token base units (rounded up): gas, plus the L1 data fee on an
 *     OP-stack chain
 * @param netValue what reaches the vault (debt repaid plus what stays in its reserve: the simulated proceeds) minus the
 *     gas cost, in loan-token base units; negative when gas costs more than the sale brings
 */
public record Ranked(Candidate.Viable candidate, BigInteger gasCost, BigInteger netValue) {
    public Ranked {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(gasCost, "gasCost");
        Objects.requireNonNull(netValue, "netValue");
    }

    /** Collateral this route sells. */
    public BigInteger collateralSold() {
        return candidate.order().collateral().units();
    }
}
