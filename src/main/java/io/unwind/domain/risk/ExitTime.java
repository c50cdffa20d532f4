package io.unwind.domain.risk;

import java.util.Locale;

/**
 * How many blocks a vault needs from now to be back at its target if the keeper decides to act: the block in which it
 * sees the price, the blocks a transaction of its takes to be included (measured from its own transactions), once per
 * chunk its sale needs at the venues' current depth within its slippage cap, and the blocks it waits behind the book's
 * more urgent actions.
 *
 * @param detectionBlocks blocks until the keeper sees a price move: the measured mean gap between the heads it ticked
 *     (1 when it reads every head)
 * @param inclusionBlocks measured mean blocks from sending to inclusion (≥ 1)
 * @param chunks sales (or top-ups) needed to reach the target (≥ 1)
 * @param queueBlocks blocks spent waiting behind others in the block's book
 */
public record ExitTime(double detectionBlocks, double inclusionBlocks, int chunks, int queueBlocks) {
    public ExitTime {
        if (!(detectionBlocks >= 0) || chunks < 1 || queueBlocks < 0 || !(inclusionBlocks >= 1)) {
            throw new IllegalArgumentException("invalid exit time: " + detectionBlocks + ", " + inclusionBlocks + ", "
                    + chunks + ", " + queueBlocks);
        }
    }

    /** The horizon in blocks: detection + chunks × inclusion + queue. */
    public double blocks() {
        return detectionBlocks + chunks * inclusionBlocks + queueBlocks;
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "%.1f blocks (detect %.1f + %d chunk%s x %.1f to include + %d queued)",
                blocks(),
                detectionBlocks,
                chunks,
                chunks == 1 ? "" : "s",
                inclusionBlocks,
                queueBlocks);
    }
}
