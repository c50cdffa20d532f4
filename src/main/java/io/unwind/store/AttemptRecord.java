package io.unwind.store;

import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.tx.SendOutcome;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One signed attempt of a transaction: the exact bytes, their hash and fees, and what the nodes said to them.
 *
 * @param number 1 for the first attempt, then one more per replacement
 * @param signedRawHex the signed transaction, 0x-prefixed hex: what is broadcast, unchanged, every time
 * @param outcome empty until broadcast; {@link SendOutcome#SENT} once any node accepted it
 * @param lastSentBlock the head when a node last accepted it
 * @param endpointResults JSON: each endpoint's answer to the last broadcast
 */
public record AttemptRecord(
        long id,
        long txId,
        int number,
        AttemptPurpose purpose,
        TxHash hash,
        String signedRawHex,
        Eip1559Fees fees,
        long gasLimit,
        Instant signedAt,
        Optional<SendOutcome> outcome,
        Optional<Instant> firstSentAt,
        Optional<Instant> lastBroadcastAt,
        OptionalLong lastSentBlock,
        int broadcastCount,
        Optional<String> endpointResults) {

    public byte[] signedRaw() {
        return HexFormat.of().parseHex(signedRawHex.substring(2));
    }

    public boolean everSent() {
        return firstSentAt.isPresent();
    }

    @Override
    public String toString() {
        return "attempt " + number + " of tx#" + txId + " " + hash + " (" + fees + ", gas " + gasLimit + ", "
                + outcome.map(Enum::name).orElse("not broadcast") + ")";
    }
}
