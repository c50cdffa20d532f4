package io.unwind.app.node;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.engine.TxSubmitter;
import java.util.Optional;

/**
 * A transaction port shared by several engines (a cluster node's partitions): the transaction manager hears of each
 * head once, however many partitions tick on it.
 */
final class OncePerHead implements TxSubmitter {
    private final TxSubmitter delegate;
    private BlockRef last;

    OncePerHead(TxSubmitter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<String> inFlight(Address vault) {
        return delegate.inFlight(vault);
    }

    @Override
    public Optional<String> inFlight(Address vault, long head) {
        return delegate.inFlight(vault, head);
    }

    @Override
    public Submission submit(Action action) {
        return delegate.submit(action);
    }

    @Override
    public Optional<Settled> settled(String idempotencyKey) {
        return delegate.settled(idempotencyKey);
    }

    @Override
    public void onHead(BlockRef head) {
        synchronized (this) {
            if (head.equals(last)) return;
            last = head;
        }
        delegate.onHead(head);
    }
}
