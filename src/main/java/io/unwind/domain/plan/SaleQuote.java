package io.unwind.domain.plan;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What one route says it will deliver for selling {@code collateral}, in base units.
 *
 * @param collateral collateral the route sells (its {@code amountIn})
 * @param expectedProceeds loan tokens it expects to deliver (from the quote, or better, from simulating the vault call
 *     at the current block)
 * @param guaranteedProceeds the least it delivers without reverting itself (its {@code minOut}); the sale is sized so
 *     that the vault's own requirement is met whenever the route does not revert
 */
public record SaleQuote(BigInteger collateral, BigInteger expectedProceeds, BigInteger guaranteedProceeds) {
    public SaleQuote {
        Objects.requireNonNull(collateral, "collateral");
        Objects.requireNonNull(expectedProceeds, "expectedProceeds");
        Objects.requireNonNull(guaranteedProceeds, "guaranteedProceeds");
        if (collateral.signum() <= 0) throw new IllegalArgumentException("collateral must be > 0");
        if (expectedProceeds.signum() < 0 || guaranteedProceeds.signum() < 0) {
            throw new IllegalArgumentException("proceeds must be >= 0");
        }
    }

    /** What the sale is counted on to bring: the guarantee, never more than the expectation. */
    public BigInteger countedProceeds() {
        return guaranteedProceeds.min(expectedProceeds);
    }
}
