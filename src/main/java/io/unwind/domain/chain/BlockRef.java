package io.unwind.domain.chain;

import java.time.Instant;
import java.util.Objects;

/** A block the keeper has seen: number, hash, parent hash and timestamp. Reads of one tick pin to its hash. */
public record BlockRef(long number, TxHash hash, TxHash parentHash, Instant timestamp) {
    public BlockRef {
        if (number < 0) throw new IllegalArgumentException("block number < 0");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
