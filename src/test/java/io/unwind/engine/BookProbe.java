package io.unwind.engine;

import io.unwind.chain.vault.SequenceSimulator;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.tx.TxKind;
import java.util.List;
import java.util.OptionalLong;

/** The engine's book, opened to tests outside the package: one route per action. */
public final class BookProbe {
    private BookProbe() {}

    public record Action(VaultHealth vault, String route, byte[] data, OptionalLong gas) {}

    /** What the book sends, in order, as calls; and the vaults that wait. */
    public record Settled(List<SequenceSimulator.Call> sent, List<String> waiting) {}

    public static Settled settle(
            List<Action> actions,
            Eip1559Fees fees,
            Urgency urgency,
            TxKind kind,
            long gasBudget,
            java.util.function.Function<List<SequenceSimulator.Call>, List<SequenceSimulator.Step>> sequencer) {
        List<Proposal> proposals = actions.stream()
                .map(a -> new Proposal(
                        a.vault(), kind, List.of(new Proposal.Option(a.route(), a.data(), a.gas(), "")), fees, urgency))
                .toList();
        Book.Result r = Book.settle(proposals, gasBudget, sequencer::apply);
        return new Settled(
                r.send().stream()
                        .map(e -> new SequenceSimulator.Call(
                                e.proposal().vault().vault(), e.option().data()))
                        .toList(),
                r.waiting().stream().map(w -> w.why()).toList());
    }
}
