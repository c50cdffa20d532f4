package io.unwind.domain.tx;

/**
 * When an attempt counts as stuck: it was accepted by a node at block {@code sentAt} and is still not mined
 * {@code afterBlocks} blocks later (Chainlink's default is 3).
 */
public record StuckRule(int afterBlocks) {
    public StuckRule {
        if (afterBlocks < 1) throw new IllegalArgumentException("afterBlocks must be >= 1: " + afterBlocks);
    }

    /** Blocks since the attempt was sent; 0 if the head is not past it (a head from a lagging node). */
    public long blocksWaiting(long sentAt, long head) {
        return Math.max(0, head - sentAt);
    }

    public boolean isStuck(long sentAt, long head) {
        return blocksWaiting(sentAt, head) >= afterBlocks;
    }
}
