package io.unwind.chain.fee;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;

/**
 * What a chain charges for a transaction besides its gas: on an OP-stack chain, the L1 data fee for publishing its
 * bytes ({@link OpStackL1DataFee}); nothing on an L1. On Arbitrum the L1 part is charged as gas, and the node's gas
 * estimate includes it, so it is nothing here too (the keeper takes gas from the node's estimate there).
 */
public interface L1DataFee {
    /** Nothing besides gas: Ethereum, and chains whose node folds the L1 cost into the gas estimate. */
    L1DataFee NONE = (to, calldata) -> Wei.ZERO;

    /** The fee, in wei, a transaction to {@code to} carrying {@code calldata} would pay on top of its gas now. */
    Wei of(Address to, byte[] calldata);
}
