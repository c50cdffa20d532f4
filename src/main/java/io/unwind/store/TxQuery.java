package io.unwind.store;

import io.unwind.domain.chain.Address;
import io.unwind.domain.tx.TxState;
import java.util.Optional;

/** A filter for listing journaled transactions, newest first. */
public record TxQuery(Optional<TxState> state, Optional<Address> vault, int limit, Optional<Long> chainId) {
    public TxQuery {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1");
    }

    public TxQuery(Optional<TxState> state, Optional<Address> vault, int limit) {
        this(state, vault, limit, Optional.empty());
    }

    public static TxQuery latest(int limit) {
        return new TxQuery(Optional.empty(), Optional.empty(), limit);
    }

    public TxQuery inState(TxState s) {
        return new TxQuery(Optional.of(s), vault, limit, chainId);
    }

    public TxQuery forVault(Address v) {
        return new TxQuery(state, Optional.of(v), limit, chainId);
    }

    /** Only the transactions of one chain (a journal shared by the chains of one keeper holds every chain's). */
    public TxQuery onChain(long id) {
        return new TxQuery(state, vault, limit, Optional.of(id));
    }
}
