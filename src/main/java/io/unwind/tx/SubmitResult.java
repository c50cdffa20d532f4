package io.unwind.tx;

import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;

/** What {@link TxManager#submit} did with a request. */
public sealed interface SubmitResult {

    /** Journaled, and sent as far as possible now: see the state (UNCONFIRMED when a node took it). */
    record Accepted(TxDetail tx) implements SubmitResult {}

    /** The idempotency key was used before: this is the transaction made for it; nothing new was sent. */
    record Duplicate(TxDetail tx) implements SubmitResult {}

    /** The vault has this transaction in flight: refused, so that no vault ever has two. */
    record VaultBusy(TxRecord inFlight) implements SubmitResult {}
}
