package io.unwind.tx;

import io.unwind.chain.ChainClient;
import io.unwind.chain.ChainException;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptPurpose;
import io.unwind.store.AttemptRecord;
import io.unwind.store.InsertResult;
import io.unwind.store.Journal;
import io.unwind.store.NewTx;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the transactions of one key so that none is lost or sent twice (after Chainlink's transaction manager and
 * Optimism's txmgr). A request is journaled, then given the next nonce and signed in one database transaction, and
 * only then broadcast to every endpoint. At each head the manager confirms, replaces, recovers from re-orgs and
 * finalizes ({@link #onHead}); after a restart, {@link #recover} sends the saved bytes again, unchanged.
 *
 * <p>One instance per sending key; its methods are thread-safe (one lock, held for each call).
 */
public final class TxManager {
    private final ChainClient chain;
    private final Journal journal;
    private final Signer signer;
    private final TxSettings settings;
    private final TxMetrics metrics;
    private final TxLog log = new TxLog();
    private final AttemptSigner attempts;
    private final Sender sender;
    private final Confirmer confirmer;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastHead = -1;

    public TxManager(ChainClient chain, Journal journal, Signer signer, TxSettings settings, TxMetrics metrics,
            ReorgHook reorgHook) {
        if (chain.chainId() != settings.chainId()) {
            throw new IllegalArgumentException("the chain client is for chain " + chain.chainId() + ", the settings for "
                    + settings.chainId());
        }
        this.chain = chain;
        this.journal = journal;
        this.signer = signer;
        this.settings = settings;
        this.metrics = metrics;
        this.attempts = new AttemptSigner(signer, settings.chainId());
        this.sender = new Sender(chain, journal, attempts, settings, metrics, log);
        this.confirmer = new Confirmer(chain, journal, sender, settings, reorgHook, metrics, log);
    }

    public Address sender() {
        return signer.address();
    }

    /**
     * Journals the request and sends it as far as it can now. A key seen before returns its transaction; a vault with
     * a transaction in flight refuses a second. If the chain cannot be read, the transaction stays journaled and goes
     * out at the next head.
     */
    public SubmitResult submit(TxRequest r) {
        lock.lock();
        try {
            NewTx n = new NewTx(r.idempotencyKey(), settings.chainId(), signer.address(), r.vault(), r.to(),
                    "0x" + HexFormat.of().formatHex(r.data()), r.value(), r.gasLimit(), r.fees(), r.kind(),
                    r.urgency().score(), Optional.of(r.summary()));
            InsertResult inserted = journal.insert(n);
            switch (inserted) {
                case InsertResult.DuplicateKey d -> {
                    return new SubmitResult.Duplicate(journal.detail(d.tx().id()).orElseThrow());
                }
                case InsertResult.VaultBusy b -> {
                    return new SubmitResult.VaultBusy(b.tx());
                }
                case InsertResult.Created c -> metrics.submitted(r.kind());
            }
            CrashPoints.reach(CrashPoints.TX_INSERTED);
            long id = inserted.tx().id();
            try {
                pump(head(), new TxReport.Builder(lastHead));
                log.chainBack();
            } catch (ChainException e) {
                log.chainUnavailable("sending tx#" + id, e.getMessage());
            }
            return new SubmitResult.Accepted(journal.detail(id).orElseThrow());
        } finally {
            refreshGauges();
            lock.unlock();
        }
    }

    /** Called at every new head: settles, replaces, re-checks and finalizes, then sends what waits. */
    public TxReport onHead(BlockRef head) {
        lock.lock();
        TxReport.Builder report = new TxReport.Builder(head.number());
        try {
            lastHead = head.number();
            Optional<BlockRef> finalized = chain.finalizedBlock();
            for (TxRecord tx : journal.inState(settings.chainId(), sender(), TxState.CONFIRMED)) {
                confirmer.recheck(tx, head, finalized, report);
            }
            long minedNonce = chain.nonce(sender(), false).longValueExact();
            for (TxRecord tx : journal.inState(settings.chainId(), sender(), TxState.UNCONFIRMED)) {
                confirmer.settle(tx, minedNonce, head, report);
            }
            pump(head.number(), report);
            log.chainBack();
        } catch (ChainException e) {
            log.chainUnavailable("head " + head.number(), e.getMessage());
            report.problem(e.getMessage());
        } finally {
            refreshGauges();
            lock.unlock();
        }
        return report.build();
    }

    /**
     * At start: sends the newest saved attempt of every transaction in progress or unconfirmed again, byte for byte
     * (the fees it was signed with, whatever the configuration says now); for one the journal says was re-orged out,
     * the re-org hook decides again between that and a cancellation. "already known" and "nonce too low" count as
     * sent; the next {@link #onHead} settles the rest.
     */
    public TxReport recover() {
        lock.lock();
        TxReport.Builder report = new TxReport.Builder(-1);
        try {
            BlockRef head = chain.latestBlock();
            lastHead = head.number();
            report = new TxReport.Builder(head.number());
            for (TxState s : List.of(TxState.IN_PROGRESS, TxState.UNCONFIRMED)) {
                for (TxRecord tx : journal.inState(settings.chainId(), sender(), s)) {
                    AttemptRecord newest = journal.detail(tx.id()).orElseThrow().latest().orElseThrow();
                    CrashPoints.reach(CrashPoints.RECOVER_SENDING);
                    if (Confirmer.reorgedWithoutCancel(tx, newest)) {
                        // Killed between finding the re-org and acting on the hook's answer: ask it again, so that an
                        // action the vault no longer needs is cancelled rather than sent again.
                        confirmer.afterReorg(tx, newest, head.number(), tx.error().orElseThrow(), report);
                    } else {
                        sender.send(tx, newest, head.number(), report, 0);
                    }
                }
            }
        } catch (ChainException e) {
            log.chainUnavailable("recovery", e.getMessage());
            report.problem(e.getMessage());
        } finally {
            refreshGauges();
            lock.unlock();
        }
        return report.build();
    }

    public Optional<TxDetail> transaction(long id) {
        return journal.detail(id);
    }

    public Optional<TxDetail> transaction(String idempotencyKey) {
        return journal.findByKey(idempotencyKey).flatMap(t -> journal.detail(t.id()));
    }

    public List<TxRecord> transactions(TxQuery q) {
        return journal.list(q);
    }

    /**
     * Sends what can go now: the transaction in progress, if any (its newest attempt, or a bump of it if the nodes
     * said it was underpriced), and then, while none is in progress, the oldest unstarted one, given its nonce and
     * signed in one database transaction first.
     */
    private void pump(long head, TxReport.Builder report) {
        while (true) {
            Optional<TxRecord> inProgress = journal.inProgress(settings.chainId(), sender());
            if (inProgress.isPresent()) {
                TxDetail d = journal.detail(inProgress.get().id()).orElseThrow();
                AttemptRecord newest = d.latest().orElseThrow();
                if (newest.outcome().equals(Optional.of(SendOutcome.UNDERPRICED))) {
                    sender.bump(d, head, report, settings.maxImmediateBumps());
                } else {
                    sender.send(d.tx(), newest, head, report, settings.maxImmediateBumps());
                }
                if (journal.find(d.tx().id()).orElseThrow().state() == TxState.IN_PROGRESS) return;
                continue;
            }
            Optional<TxRecord> next = journal.oldestUnstarted(settings.chainId(), sender());
            if (next.isEmpty()) return;
            TxRecord tx = next.get();
            // The mined nonce is a floor: a nonce used outside the journal is never assigned again.
            long minedNonce = chain.nonce(sender(), false).longValueExact();
            journal.start(tx.id(), minedNonce, nonce -> {
                var signed = attempts.sign(tx, nonce, AttemptPurpose.ACTION, tx.initialFees(), tx.gasLimit());
                CrashPoints.reach(CrashPoints.TX_SIGNED);
                return signed;
            });
            CrashPoints.reach(CrashPoints.TX_JOURNALED);
        }
    }

    private long head() {
        if (lastHead < 0) lastHead = chain.latestBlock().number();
        return lastHead;
    }

    private void refreshGauges() {
        metrics.states(sender(), journal.countByState(settings.chainId(), sender()));
    }
}
