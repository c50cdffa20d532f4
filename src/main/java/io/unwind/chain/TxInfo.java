package io.unwind.chain;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import java.math.BigInteger;
import java.util.OptionalLong;

/** A transaction as a node knows it (pending when blockNumber is empty). */
public record TxInfo(
        TxHash hash,
        Address from,
        BigInteger nonce,
        OptionalLong blockNumber,
        BigInteger maxFeePerGas,
        BigInteger maxPriorityFeePerGas) {}
