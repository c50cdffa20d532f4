package io.unwind.domain.route;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A viable candidate with its score.
 *
 * @param gasCost the gas it costs, in loan-token base units (rounded up)
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
