package io.unwind.store;

import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxKind;
import java.util.Objects;
import java.util.Optional;

/**
 * A transaction to journal, before it has a nonce or a signature; {@code fees} are for its first attempt.
 *
 * @param plannedBlock the head its action was planned (and simulated) at, if it carries a plan
 */
public record NewTx(
        String idempotencyKey,
        long chainId,
        Address from,
        Address vault,
        Address to,
        String dataHex,
        Wei value,
        long gasLimit,
        Eip1559Fees fees,
        TxKind kind,
        double urgency,
        Optional<String> planSummary,
        java.util.OptionalLong plannedBlock) {

    public NewTx {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(dataHex, "dataHex");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(planSummary, "planSummary");
        Objects.requireNonNull(plannedBlock, "plannedBlock");
        if (!dataHex.startsWith("0x")) throw new IllegalArgumentException("dataHex must start with 0x");
    }
}
