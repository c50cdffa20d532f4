package io.unwind.tx;

import io.unwind.domain.chain.BlockRef;
import io.unwind.store.TxRecord;
import java.util.Optional;

/**
 * Asked before a journaled action that waited (behind another transaction of the key, or across a restart) is given a
 * nonce and signed: the engine checks that its vault still needs it at the new head. The transaction manager itself
 * also gives up an action planned too long ago or past its deadline, and one whose exact call would revert now.
 */
@FunctionalInterface
public interface PlanCheck {
    /** Why {@code tx}'s action is no longer wanted at {@code head}, in words; empty if it still is. */
    Optional<String> noLongerWanted(TxRecord tx, BlockRef head);

    PlanCheck NONE = (tx, head) -> Optional.empty();
}
