package io.unwind.tx;

import io.unwind.store.TxRecord;

/**
 * Asked when a re-org undoes a mined transaction, before anything is sent again: the engine re-checks whether its
 * action is still needed on the new chain. The nonce must be filled either way, or every later transaction of the
 * sender waits behind it: so "not needed" cancels it (a 0-value transfer to itself at the same nonce, fees bumped).
 */
@FunctionalInterface
public interface ReorgHook {
    enum Decision {
        REBROADCAST,
        CANCEL
    }

    ReorgHook ALWAYS_REBROADCAST = tx -> Decision.REBROADCAST;

    Decision afterReorg(TxRecord tx);
}
