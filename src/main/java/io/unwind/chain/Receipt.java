package io.unwind.chain;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import java.math.BigInteger;
import java.util.List;

/** A mined transaction's receipt, with what the keeper needs from it. */
public record Receipt(
        TxHash txHash,
        long blockNumber,
        TxHash blockHash,
        boolean success,
        BigInteger gasUsed,
        BigInteger effectiveGasPrice,
        Address from,
        List<LogEntry> logs) {

    /** One event log: emitting contract, topics and data (0x-hex), where it was mined. */
    public record LogEntry(
            Address address, List<String> topics, String data, long blockNumber, TxHash txHash, long logIndex) {}
}
