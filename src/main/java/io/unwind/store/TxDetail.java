package io.unwind.store;

import java.util.List;
import java.util.Optional;

/** A transaction with all its attempts, oldest first. */
public record TxDetail(TxRecord tx, List<AttemptRecord> attempts) {
    public TxDetail {
        attempts = List.copyOf(attempts);
    }

    /** The newest attempt: the one with the highest fees, which replacements build on. */
    public Optional<AttemptRecord> latest() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    /** The attempt that was mined, if any. */
    public Optional<AttemptRecord> mined() {
        return tx.confirmation()
                .flatMap(c ->
                        attempts.stream().filter(a -> a.id() == c.attemptId()).findFirst());
    }
}
