package io.unwind.tx;

import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.tx.TxKind;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A transaction the engine wants sent.
 *
 * @param idempotencyKey names the action: the same key again returns the transaction already made for it
 * @param vault the vault it acts on: at most one transaction in flight per vault
 * @param fees for the first attempt (replacements are priced by the fee policy)
 * @param urgency how urgent, for pricing replacements
 * @param summary the plan it carries out, as JSON text, kept in the journal for people
 * @param plannedBlock the head the action was planned and simulated at, if it carries a plan: an action that waits is
 *     checked again before it is signed, and given up once it is older than {@link TxSettings#maxPlanAgeBlocks}
 */
public record TxRequest(
        String idempotencyKey,
        Address vault,
        Address to,
        byte[] data,
        Wei value,
        long gasLimit,
        Eip1559Fees fees,
        TxKind kind,
        Urgency urgency,
        String summary,
        OptionalLong plannedBlock) {

    /** The intrinsic gas of any transaction: no limit below it can work. */
    public static final long MIN_GAS = 21_000;

    /** A request that carries no plan (set-up, transfers, tests). */
    public TxRequest(
            String idempotencyKey,
            Address vault,
            Address to,
            byte[] data,
            Wei value,
            long gasLimit,
            Eip1559Fees fees,
            TxKind kind,
            Urgency urgency,
            String summary) {
        this(idempotencyKey, vault, to, data, value, gasLimit, fees, kind, urgency, summary, OptionalLong.empty());
    }

    public TxRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw new IllegalArgumentException("idempotencyKey must have 1 to 200 characters");
        }
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(to, "to");
        data = Objects.requireNonNull(data, "data").clone();
        Objects.requireNonNull(value, "value");
        if (gasLimit < MIN_GAS) throw new IllegalArgumentException("gasLimit below " + MIN_GAS + ": " + gasLimit);
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(plannedBlock, "plannedBlock");
    }

    /** A call with no value, at no particular urgency. */
    public static TxRequest call(
            String idempotencyKey,
            Address vault,
            Address to,
            byte[] data,
            long gasLimit,
            Eip1559Fees fees,
            TxKind kind,
            String summary) {
        return new TxRequest(idempotencyKey, vault, to, data, Wei.ZERO, gasLimit, fees, kind, Urgency.NONE, summary);
    }

    public TxRequest withValue(Wei v) {
        return new TxRequest(idempotencyKey, vault, to, data, v, gasLimit, fees, kind, urgency, summary, plannedBlock);
    }

    public TxRequest withUrgency(Urgency u) {
        return new TxRequest(idempotencyKey, vault, to, data, value, gasLimit, fees, kind, u, summary, plannedBlock);
    }

    /** The same request, planned at block {@code head}. */
    public TxRequest plannedAt(long head) {
        return new TxRequest(
                idempotencyKey, vault, to, data, value, gasLimit, fees, kind, urgency, summary, OptionalLong.of(head));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TxRequest r
                && idempotencyKey.equals(r.idempotencyKey)
                && vault.equals(r.vault)
                && to.equals(r.to)
                && java.util.Arrays.equals(data, r.data)
                && value.equals(r.value)
                && gasLimit == r.gasLimit
                && fees.equals(r.fees)
                && kind == r.kind
                && urgency.equals(r.urgency)
                && summary.equals(r.summary)
                && plannedBlock.equals(r.plannedBlock);
    }

    @Override
    public int hashCode() {
        return idempotencyKey.hashCode();
    }

    @Override
    public String toString() {
        return "TxRequest[" + idempotencyKey + ", " + kind + " vault " + vault.shortForm() + " to " + to.shortForm()
                + ", " + data.length + " bytes, gas " + gasLimit + ", " + fees + "]";
    }
}
