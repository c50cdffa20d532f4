package io.unwind.engine;

import io.unwind.chain.vault.SequenceSimulator;
import io.unwind.domain.fee.GasLimit;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The block's actions as one book. Every acting vault's action was planned and simulated alone against the head's
 * state; in the block each sale moves the pools for the next, so alone is not enough. The book:
 *
 * <ol>
 *   <li>orders the actions most urgent first: the vault closest to its LLTV, then the largest debt;
 *   <li>takes them in that order while the gas they are expected to use fits the keeper's share of the block, the rest
 *       wait for the next block;
 *   <li>simulates the whole sequence in one call, each action on the state the earlier ones left (see
 *       {@link SequenceSimulator}); an action that fails there moves to its next venue, and the sequence is simulated
 *       again, at most {@link #ROUNDS} times; an action with no venue left waits for the next block, when arbitrage has
 *       refilled the pools.
 * </ol>
 *
 * <p>What it sends is exactly the sequence its last simulation ran with the failed calls left out; a failed call
 * changes no state, so leaving it out changes nothing for the others. The book never sends an action it predicts will
 * revert.
 */
final class Book {
    /** Simulations of the sequence per block at most: the first, and two with failed sales moved to other venues. */
    static final int ROUNDS = 3;

    /** The gas an action that was not measured alone is counted for, to fit the block's share. */
    static final long UNMEASURED_GAS = 300_000;

    private Book() {}

    /** Runs a sequence of calls; {@link SequenceSimulator.SequenceUnavailable} when the node cannot. */
    @FunctionalInterface
    interface Sequencer {
        List<SequenceSimulator.Step> run(List<SequenceSimulator.Call> calls);
    }

    /**
     * An action to send, in the book's order, with the venue it takes and the gas limit to sign: its gas in the
     * sequence (or alone, whichever is more) under the keeper's margin.
     */
    record Entry(
            Proposal proposal,
            Proposal.Option option,
            byte[] data,
            BigInteger gasLimit,
            long expectedGas,
            int position) {}

    /** An action that waits for the next block, and why. */
    record Waiting(Proposal proposal, String why) {}

    /**
     * @param send the actions to send, in order
     * @param waiting the ones that wait
     * @param simulations how many times the sequence was simulated (0 when it was not needed or not possible)
     * @param sequenced whether the sequence was simulated (false: a single action, or the node cannot override code)
     */
    record Result(List<Entry> send, List<Waiting> waiting, int simulations, boolean sequenced) {}

    /** LTV headroom is compared in steps of a tenth of a point: closer than that, the larger debt is more urgent. */
    static final BigInteger HEADROOM_STEP = BigInteger.TEN.pow(15);

    /**
     * Most urgent first: the least LTV left before the LLTV (in steps of {@link #HEADROOM_STEP}, so that vaults a
     * rounding apart count as level), then the largest debt, then the vault's address.
     */
    static final Comparator<VaultHealth> URGENT_BY_HEALTH = Comparator.<VaultHealth, BigInteger>comparing(
                    h -> h.lltv().subtract(h.ltv()).divide(HEADROOM_STEP))
            .thenComparing(VaultHealth::debt, Comparator.reverseOrder())
            .thenComparing(h -> h.vault().hex());

    static final Comparator<Proposal> URGENT_FIRST = Comparator.comparing(Proposal::vault, URGENT_BY_HEALTH);

    /**
     * Settles one block's book.
     *
     * @param gasBudget the most gas the keeper's transactions may use in the block (the sum of what each is expected to
     *     use: measured alone, or {@link #UNMEASURED_GAS})
     */
    static Result settle(List<Proposal> proposals, long gasBudget, Sequencer sequencer) {
        List<Proposal> ordered = new ArrayList<>(proposals);
        ordered.sort(URGENT_FIRST);
        List<Waiting> waiting = new ArrayList<>();
        List<Proposal> taken = new ArrayList<>();
        long used = 0;
        for (Proposal p : ordered) {
            // Counted at the gas it is expected to use (what it takes of the block), not its signed limit.
            long gas = p.options().getFirst().gas().orElse(UNMEASURED_GAS);
            // The most urgent action is always taken: a block's share smaller than one action must not stop them all.
            if (!taken.isEmpty() && used + gas > gasBudget) {
                waiting.add(new Waiting(
                        p,
                        "the keeper's share of this block is taken (" + used + " of " + gasBudget
                                + " gas by more urgent vaults); next block"));
                continue;
            }
            used += gas;
            taken.add(p);
        }
        if (taken.size() < 2) {
            List<Entry> send = new ArrayList<>();
            for (Proposal p : taken) {
                Proposal.Option first = p.options().getFirst();
                send.add(entry(p, first, first.data(), 0, 0));
            }
            return new Result(send, waiting, 0, false);
        }
        int[] choice = new int[taken.size()];
        List<SequenceSimulator.Step> steps = null;
        int simulations = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<SequenceSimulator.Call> calls = new ArrayList<>();
            for (int i = 0; i < taken.size(); i++) {
                Proposal p = taken.get(i);
                Proposal.Option o = p.options().get(choice[i]);
                calls.add(new SequenceSimulator.Call(o.target(p.vault()), o.data()));
            }
            try {
                steps = sequencer.run(calls);
            } catch (SequenceSimulator.SequenceUnavailable e) {
                return unsequenced(taken, waiting);
            }
            simulations++;
            boolean moved = false;
            for (int i = 0; i < taken.size(); i++) {
                if (steps.get(i).ok()) continue;
                if (choice[i] + 1 < taken.get(i).options().size() && round + 1 < ROUNDS) {
                    choice[i]++;
                    moved = true;
                }
            }
            if (!moved) break;
            // A moved sale changes the state the later ones meet: simulate the new sequence. If this was the last
            // round, the moved ones are left out below (their last simulated venue failed), which leaves the rest as
            // simulated.
        }
        List<Entry> send = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            Proposal p = taken.get(i);
            SequenceSimulator.Step s = steps.get(i);
            Proposal.Option o = p.options().get(choice[i]);
            if (s.ok()) {
                // A call settled by what it delivered in the sequence runs the same way (only its minimums change, to
                // no more than it delivered): the sequence stays as simulated.
                byte[] data = o.settle().isPresent() && s.returned().length >= 64
                        ? o.settle().get().apply(new BigInteger(1, java.util.Arrays.copyOfRange(s.returned(), 32, 64)))
                        : o.data();
                send.add(entry(p, o, data, s.gasUsed() + SequenceSimulator.intrinsicGas(o.data()), i));
            } else {
                waiting.add(new Waiting(
                        p,
                        "would revert after the " + ordinal(i) + " in this block's book (via " + o.route() + ": "
                                + s.why() + "); next block, when the pools have refilled"));
            }
        }
        return new Result(send, waiting, simulations, true);
    }

    private static Result unsequenced(List<Proposal> taken, List<Waiting> waiting) {
        List<Entry> send = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            Proposal p = taken.get(i);
            send.add(entry(p, p.options().getFirst(), p.options().getFirst().data(), 0, i));
        }
        return new Result(send, waiting, 0, false);
    }

    private static Entry entry(Proposal p, Proposal.Option o, byte[] data, long inSequence, int position) {
        long expected = Math.max(o.gas().orElse(inSequence > 0 ? 0 : UNMEASURED_GAS), inSequence);
        return new Entry(p, o, data, limit(o, inSequence), expected, position);
    }

    /** The gas limit to sign: the larger of its gas alone and in the sequence, under the keeper's margin. */
    static BigInteger limit(Proposal.Option o, long inSequence) {
        long alone = o.gas().orElse(UNMEASURED_GAS);
        return GasLimit.KEEPER_ACTION.forEstimate(BigInteger.valueOf(Math.max(alone, inSequence)));
    }

    private static String ordinal(int earlier) {
        return earlier == 0
                ? "head of the book (alone)"
                : earlier + (earlier == 1 ? " sale" : " actions") + " before it";
    }
}
