package io.unwind.engine;

import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxKind;

/**
 * What the engine tells the outside (metrics, the status page, the simulator) as it works. All methods are called on
 * the tick's thread and must be quick.
 */
public interface KeeperEvents {
    default void observed(VaultHealth h, BlockRef block) {}

    default void routed(VaultHealth h, RouteFinder.Found found) {}

    default void submitted(VaultHealth h, BlockRef block, TxKind kind, String route, java.util.Optional<TxHash> tx) {}

    /** An action for {@code h} was journaled, for {@code reason} (the hard trigger, or a prediction). */
    default void acting(VaultHealth h, BlockRef block, io.unwind.domain.plan.ActReason reason) {}

    /** Something an operator should look at (a stale price, no route, a vault that cannot be helped). */
    default void attention(VaultHealth h, String what) {}

    default void ticked(TickResult result) {}

    KeeperEvents NONE = new KeeperEvents() {};

    /** Calls each of {@code all} in turn. */
    static KeeperEvents all(KeeperEvents... all) {
        return new KeeperEvents() {
            @Override
            public void observed(VaultHealth h, BlockRef block) {
                for (KeeperEvents e : all) e.observed(h, block);
            }

            @Override
            public void routed(VaultHealth h, RouteFinder.Found found) {
                for (KeeperEvents e : all) e.routed(h, found);
            }

            @Override
            public void submitted(
                    VaultHealth h, BlockRef block, TxKind kind, String route, java.util.Optional<TxHash> tx) {
                for (KeeperEvents e : all) e.submitted(h, block, kind, route, tx);
            }

            @Override
            public void acting(VaultHealth h, BlockRef block, io.unwind.domain.plan.ActReason reason) {
                for (KeeperEvents e : all) e.acting(h, block, reason);
            }

            @Override
            public void attention(VaultHealth h, String what) {
                for (KeeperEvents e : all) e.attention(h, what);
            }

            @Override
            public void ticked(TickResult result) {
                for (KeeperEvents e : all) e.ticked(result);
            }
        };
    }
}
