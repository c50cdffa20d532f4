package io.unwind.store;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One journaled transaction: what it does, its state, and once mined, where and at what cost.
 *
 * @param dataHex the calldata, 0x-prefixed hex
 * @param gasLimit the gas limit of its newest action attempt (re-estimates only ever raise it)
 * @param initialFees the fees its first attempt is signed with
 * @param urgency the urgency score it was submitted with, for fee bumps
 * @param planSummary the plan it carries out, as JSON text, for people reading the journal
 * @param cancelled mined as a cancellation (a transfer to itself at its nonce) instead of its action
 * @param plannedBlock the head its action was planned at, if it carries a plan
 * @param reorged back in UNCONFIRMED because the block that had mined it left the chain (cleared when it is mined
 *     again); {@code error} then holds the note on the re-org, for people
 */
public record TxRecord(
        long id,
        String idempotencyKey,
        long chainId,
        Address from,
        Address vault,
        Address to,
        String dataHex,
        Wei value,
        long gasLimit,
        Eip1559Fees initialFees,
        OptionalLong nonce,
        TxState state,
        TxKind kind,
        double urgency,
        Optional<String> planSummary,
        Instant createdAt,
        Instant updatedAt,
        Optional<String> error,
        Optional<Confirmation> confirmation,
        boolean cancelled,
        OptionalLong plannedBlock,
        boolean reorged) {

    public TxRecord {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(planSummary, "planSummary");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(confirmation, "confirmation");
        Objects.requireNonNull(plannedBlock, "plannedBlock");
    }

    /** Where the transaction was mined and what it cost. */
    public record Confirmation(
            long attemptId,
            long blockNumber,
            TxHash blockHash,
            boolean succeeded,
            long gasUsed,
            Wei effectiveGasPrice,
            Wei feePaid) {}

    public byte[] data() {
        return HexFormat.of().parseHex(dataHex.substring(2));
    }

    /** The nonce; only for states that have one. */
    public long requireNonce() {
        return nonce.orElseThrow(
                () -> new IllegalStateException("transaction " + id + " has no nonce (" + state + ")"));
    }

    /** For operators: "tx#2 (sell 2.5 WETH via uniswap-v3-3000 ..., vault 0x1234…abcd)". */
    public String describe() {
        return "tx#" + id + " (" + planSummary.orElse(kind.describe()) + ", vault " + vault.shortForm() + ")";
    }

    @Override
    public String toString() {
        return "tx#" + id + "[" + state + (nonce.isPresent() ? " nonce " + nonce.getAsLong() : "") + " " + kind
                + " vault " + vault.shortForm() + " key " + idempotencyKey + "]";
    }
}
