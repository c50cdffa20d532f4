package io.unwind.engine;

import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.plan.ActReason;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.tx.TxKind;
import java.util.List;
import java.util.OptionalLong;

/**
 * One vault's action for this block, planned and checked alone against the head's state, waiting for its place in the
 * block's book: the routes to try in order (the best first; the others are other venues the same sale could take when
 * the book finds the best one full), the fees to sign with and the urgency that prices them.
 */
record Proposal(
        VaultHealth vault, TxKind kind, List<Option> options, Eip1559Fees fees, Urgency urgency, ActReason reason) {
    Proposal {
        options = List.copyOf(options);
        if (options.isEmpty()) throw new IllegalArgumentException("a proposal needs at least one route");
        java.util.Objects.requireNonNull(reason, "reason");
    }

    /** An action at or over the vault's hard trigger. */
    Proposal(VaultHealth vault, TxKind kind, List<Option> options, Eip1559Fees fees, Urgency urgency) {
        this(vault, kind, options, fees, urgency, ActReason.TRIGGER);
    }

    /** The same proposal for another reason. */
    Proposal because(ActReason r) {
        return new Proposal(vault, kind, options, fees, urgency, r);
    }

    /**
     * One way to carry out the action: the route it takes ("uniswap-v3-500", "reserve"), the exact vault call, the gas
     * it measured alone (empty when not measured) and its plan in words; {@code to}, when present, is the contract the
     * call goes to when it is not the vault (a move is sent to its source). {@code settle}, when present, rewrites the
     * call once the book has simulated it: given the proceeds it delivered in the sequence, the call to send (see
     * {@link Keeper}'s sales behind others in their pool).
     */
    record Option(
            String route,
            byte[] data,
            OptionalLong gas,
            String summary,
            java.util.Optional<java.util.function.Function<java.math.BigInteger, byte[]>> settle,
            java.util.Optional<io.unwind.domain.chain.Address> to) {
        Option(String route, byte[] data, OptionalLong gas, String summary) {
            this(route, data, gas, summary, java.util.Optional.empty(), java.util.Optional.empty());
        }

        Option(
                String route,
                byte[] data,
                OptionalLong gas,
                String summary,
                java.util.Optional<java.util.function.Function<java.math.BigInteger, byte[]>> settle) {
            this(route, data, gas, summary, settle, java.util.Optional.empty());
        }

        /** The contract the call goes to: the vault, or for a move the vault the collateral comes from. */
        io.unwind.domain.chain.Address target(VaultHealth vault) {
            return to.orElse(vault.vault());
        }
    }
}
