package io.unwind.domain.risk;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One borrower's position on a market: collateral and debt in their tokens' base units (the debt with interest, from
 * borrow shares rounded up as Morpho does).
 */
public record BorrowerPosition(Address borrower, BigInteger collateral, BigInteger debt) {
    public BorrowerPosition {
        Objects.requireNonNull(borrower, "borrower");
        if (collateral.signum() < 0 || debt.signum() < 0)
            throw new IllegalArgumentException("negative position for " + borrower);
    }

    /** Nothing borrowed and nothing pledged: the borrower drops out of the market's map. */
    public boolean isEmpty() {
        return collateral.signum() == 0 && debt.signum() == 0;
    }
}
