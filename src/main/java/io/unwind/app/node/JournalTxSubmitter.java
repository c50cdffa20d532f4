package io.unwind.app.node;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.engine.TxSubmitter;
import io.unwind.store.Journal;
import io.unwind.store.JournalException;
import io.unwind.store.JournalOutageLog;
import io.unwind.store.TxDetail;
import io.unwind.tx.SubmitResult;
import io.unwind.tx.TxManager;
import io.unwind.tx.TxRequest;
import java.util.Optional;

/** The engine's transaction port on the journaled {@link TxManager}. */
final class JournalTxSubmitter implements TxSubmitter {
    private final TxManager manager;
    private final Journal journal;
    private final long chainId;
    private final JournalOutageLog outage;

    /** @param outage told of a journal failure in a submission, which fails only that vault's action, not the tick */
    JournalTxSubmitter(TxManager manager, Journal journal, long chainId, JournalOutageLog outage) {
        this.manager = manager;
        this.journal = journal;
        this.chainId = chainId;
        this.outage = outage;
    }

    @Override
    public Optional<String> inFlight(Address vault) {
        try {
            return journal.inFlightForVault(chainId, vault).map(t -> "tx #" + t.id() + " (" + t.state() + ")");
        } catch (JournalException e) {
            outage.failed(e);
            throw e;
        }
    }

    @Override
    public Optional<String> inFlight(Address vault, long head) {
        try {
            return journal.busyForVaultSince(chainId, vault, head)
                    .map(t -> "tx #" + t.id() + " ("
                            + (t.state().inFlight()
                                    ? t.state().toString()
                                    : "mined in block "
                                            + t.confirmation().orElseThrow().blockNumber() + ", after block " + head)
                            + ")");
        } catch (JournalException e) {
            outage.failed(e);
            throw e;
        }
    }

    @Override
    public Submission submit(Action a) {
        TxRequest r = new TxRequest(
                        a.idempotencyKey(),
                        a.vault(),
                        a.to(),
                        a.data(),
                        Wei.ZERO,
                        a.gasLimit().longValueExact(),
                        a.fees(),
                        a.kind(),
                        a.urgency(),
                        a.summary())
                .plannedAt(a.plannedAt());
        SubmitResult result;
        try {
            result = manager.submit(r);
        } catch (JournalException e) {
            // Nothing unjournaled was sent: a request is journaled, and then signed with its nonce, before it is
            // broadcast.
            outage.failed(e);
            throw e;
        }
        return switch (result) {
            case SubmitResult.Accepted ok -> new Submission.Accepted(hash(ok.tx()), describe(ok.tx()));
            case SubmitResult.Duplicate d -> new Submission.Duplicate(hash(d.tx()), describe(d.tx()));
            case SubmitResult.VaultBusy b ->
                new Submission.VaultBusy("vault busy with tx #" + b.inFlight().id() + " ("
                        + b.inFlight().state() + ")");
        };
    }

    private static Optional<TxHash> hash(TxDetail d) {
        return d.latest().map(x -> x.hash());
    }

    private static String describe(TxDetail d) {
        return "tx #" + d.tx().id() + " (" + d.tx().state() + ")";
    }

    @Override
    public Optional<Settled> settled(String idempotencyKey) {
        try {
            return manager.transaction(idempotencyKey).map(d -> d.tx()).flatMap(t -> {
                if (t.state().inFlight()) return Optional.empty();
                return Optional.of(t.confirmation()
                        .map(c -> new Settled(true, !c.succeeded(), t.error().orElse(""), c.blockNumber()))
                        .orElseGet(() -> new Settled(
                                false, false, t.error().orElse(t.state().toString()))));
            });
        } catch (JournalException e) {
            outage.failed(e);
            return Optional.empty();
        }
    }

    @Override
    public void onHead(BlockRef head) {
        manager.onHead(head);
    }
}
