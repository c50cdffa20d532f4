package io.unwind.store;

/** What journaling a new transaction came to. */
public sealed interface InsertResult {
    TxRecord tx();

    /** Journaled as {@code UNSTARTED}. */
    record Created(TxRecord tx) implements InsertResult {}

    /** A transaction with this idempotency key exists already: it is returned, nothing was added. */
    record DuplicateKey(TxRecord tx) implements InsertResult {}

    /** The vault has a transaction in flight (returned): a second one is refused. */
    record VaultBusy(TxRecord tx) implements InsertResult {}
}
