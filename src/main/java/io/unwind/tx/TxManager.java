package io.unwind.tx;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.ChainException;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultErrors;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptPurpose;
import io.unwind.store.AttemptRecord;
import io.unwind.store.InsertResult;
import io.unwind.store.Journal;
import io.unwind.store.JournalException;
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
 * Optimism's txmgr). A request is journaled, then given the next nonce and signed in one database transaction, and only
 * then broadcast to every endpoint. At each head the manager confirms, replaces, recovers from re-orgs and finalizes
 * ({@link #onHead}); after a restart, {@link #recover} sends the saved bytes again, unchanged.
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
    private final PlanCheck planCheck;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastHead = -1;

    public TxManager(
            ChainClient chain,
            Journal journal,
            Signer signer,
            TxSettings settings,
            TxMetrics metrics,
            ReorgHook reorgHook) {
        this(chain, journal, signer, settings, metrics, reorgHook, PlanCheck.NONE);
    }

    /** @param planCheck asked, before a journaled action that waited is signed, whether its vault still needs it */
    public TxManager(
            ChainClient chain,
            Journal journal,
            Signer signer,
            TxSettings settings,
            TxMetrics metrics,
            ReorgHook reorgHook,
            PlanCheck planCheck) {
        if (chain.chainId() != settings.chainId()) {
            throw new IllegalArgumentException(
                    "the chain client is for chain " + chain.chainId() + ", the settings for " + settings.chainId());
        }
        this.chain = chain;
        this.journal = journal;
        this.signer = signer;
        this.settings = settings;
        this.metrics = metrics;
        this.planCheck = planCheck;
        this.attempts = new AttemptSigner(signer, settings.chainId());
        this.sender = new Sender(chain, journal, attempts, settings, metrics, log);
        this.confirmer = new Confirmer(chain, journal, sender, settings, reorgHook, metrics, log);
    }

    public Address sender() {
        return signer.address();
    }

    /**
     * Journals the request and sends it as far as it can now. A key seen before returns its transaction; a vault with a
     * transaction in flight refuses a second. If the chain cannot be read, the transaction stays journaled and goes out
     * at the next head.
     */
    public SubmitResult submit(TxRequest r) {
        lock.lock();
        try {
            NewTx n = new NewTx(
                    r.idempotencyKey(),
                    settings.chainId(),
                    signer.address(),
                    r.vault(),
                    r.to(),
                    "0x" + HexFormat.of().formatHex(r.data()),
                    r.value(),
                    r.gasLimit(),
                    r.fees(),
                    r.kind(),
                    r.urgency().score(),
                    Optional.of(r.summary()),
                    r.plannedBlock());
            InsertResult inserted = journal.insert(n);
            switch (inserted) {
                case InsertResult.DuplicateKey d -> {
                    return new SubmitResult.Duplicate(
                            journal.detail(d.tx().id()).orElseThrow());
                }
                case InsertResult.VaultBusy b -> {
                    return new SubmitResult.VaultBusy(b.tx());
                }
                case InsertResult.Created c -> metrics.submitted(r.kind());
            }
            CrashPoints.reach(CrashPoints.TX_INSERTED);
            long id = inserted.tx().id();
            try {
                pump(head(), new TxReport.Builder(lastHead), id);
                log.chainBack();
            } catch (ChainException e) {
                log.chainUnavailable("sending tx#" + id, e.getMessage());
            }
            return new SubmitResult.Accepted(journal.detail(id).orElseThrow());
        } finally {
            unlockAfterGauges();
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
            pump(head.number(), report, -1);
            log.chainBack();
        } catch (ChainException e) {
            log.chainUnavailable("head " + head.number(), e.getMessage());
            report.problem(e.getMessage());
        } finally {
            unlockAfterGauges();
        }
        return report.build();
    }

    /**
     * At start, for each transaction the last run left in flight, and says in the log what it did with each:
     *
     * <ul>
     *   <li>one whose nonce the chain has used already is not sent again: it is settled (mined before the restart, or
     *       its nonce taken by another transaction);
     *   <li>otherwise the newest saved attempt of one in progress or unconfirmed goes out again, byte for byte (the
     *       fees it was signed with, whatever the configuration says now); "already known" and "nonce too low" count as
     *       sent; for one the journal says was re-orged out, the re-org hook decides again between that and a
     *       cancellation;
     *   <li>one journaled but never signed is checked at the current head ({@link #stale}): if no longer wanted it is
     *       abandoned with the reason, and nothing is signed; if still wanted it is signed at the next head, after
     *       being checked again then.
     * </ul>
     */
    public TxReport recover() {
        lock.lock();
        TxReport.Builder report = new TxReport.Builder(-1);
        try {
            BlockRef head = chain.latestBlock();
            lastHead = head.number();
            report = new TxReport.Builder(head.number());
            long minedNonce = chain.nonce(sender(), false).longValueExact();
            for (TxState s : List.of(TxState.IN_PROGRESS, TxState.UNCONFIRMED)) {
                for (TxRecord tx : journal.inState(settings.chainId(), sender(), s)) {
                    AttemptRecord newest =
                            journal.detail(tx.id()).orElseThrow().latest().orElseThrow();
                    CrashPoints.reach(CrashPoints.RECOVER_SENDING);
                    if (Confirmer.reorgedWithoutCancel(tx, newest)) {
                        // Killed between finding the re-org and acting on the hook's answer: ask it again, so that an
                        // action the vault no longer needs is cancelled rather than sent again.
                        confirmer.afterReorg(
                                tx, newest, head.number(), tx.error().orElseThrow(), report);
                    } else if (tx.requireNonce() < minedNonce) {
                        // Its nonce is used on chain: by this transaction (mined while the keeper was down) or by
                        // another. Sending it again could only be answered "nonce too low": find out which instead.
                        TxRecord out = tx.state() == TxState.IN_PROGRESS ? journal.markSent(tx.id()) : tx;
                        confirmer.settle(out, minedNonce, head, report);
                    } else {
                        sender.send(tx, newest, head.number(), report, 0);
                    }
                    log.recovered(tx, recoveryWords(report.of(tx.id()), tx.requireNonce() < minedNonce));
                }
            }
            for (TxRecord tx : journal.inState(settings.chainId(), sender(), TxState.UNSTARTED)) {
                Optional<String> why = stale(tx, head);
                if (why.isPresent()) {
                    abandon(tx, why.get(), report);
                    log.recovered(tx, TxReport.Kind.ABANDONED.describe() + ": " + why.get());
                } else {
                    log.recovered(
                            tx,
                            "journaled, never signed; still wanted at block " + head.number()
                                    + ", it is checked again and signed at the next head");
                }
            }
        } catch (ChainException e) {
            log.chainUnavailable("recovery", e.getMessage());
            report.problem(e.getMessage());
        } finally {
            unlockAfterGauges();
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

    /** What recovery did with one transaction, from what the report says happened to it. */
    private static String recoveryWords(List<TxReport.Change> changes, boolean nonceUsed) {
        if (changes.isEmpty()) {
            return nonceUsed
                    ? "its nonce is used on chain; not sent again, its receipt is looked for at the next head"
                    : "left for the next head";
        }
        TxReport.Change last = changes.get(changes.size() - 1);
        String what = switch (last.kind()) {
            case CONFIRMED -> "already " + last.describe() + " before the restart; not sent again";
            case RESENT, SENT -> last.describe() + " (not mined yet)";
            default -> last.describe();
        };
        return what;
    }

    /**
     * Why a journaled action that waited must not be signed now, if it must not: it was planned more than
     * {@link TxSettings#maxPlanAgeBlocks} blocks before {@code head}, its deadline has passed, the engine says its
     * vault no longer needs it ({@link PlanCheck}), or its exact call, from the keeper at {@code head}, would revert.
     * Transactions that carry no vault action are never held back.
     */
    private Optional<String> stale(TxRecord tx, BlockRef head) {
        if (tx.kind() == TxKind.OTHER) return Optional.empty();
        List<String> why = new java.util.ArrayList<>();
        if (tx.plannedBlock().isPresent()) {
            long age = head.number() - tx.plannedBlock().getAsLong();
            if (age > settings.maxPlanAgeBlocks()) {
                why.add("planned at block " + tx.plannedBlock().getAsLong() + ", " + age + " blocks before block "
                        + head.number() + " (at most " + settings.maxPlanAgeBlocks() + ")");
            }
        }
        VaultCalls.deadline(tx.data())
                .filter(d -> head.timestamp().isAfter(d))
                .ifPresent(d -> why.add("its deadline " + d + " passed"));
        planCheck.noLongerWanted(tx, head).ifPresent(why::add);
        if (why.isEmpty()) {
            if (chain.call(tx.from(), tx.to(), tx.data(), head.hash()) instanceof CallResult.Reverted r) {
                why.add("it would revert at block " + head.number() + ": " + VaultErrors.explainInWords(r.data()));
            }
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    private void abandon(TxRecord tx, String why, TxReport.Builder report) {
        journal.markAbandoned(tx.id(), "abandoned before signing: " + why);
        metrics.abandoned();
        log.abandoned(tx, why);
        report.add(tx.id(), TxReport.Kind.ABANDONED, why);
    }

    /**
     * Sends what can go now: the transaction in progress, if any (its newest attempt, or a bump of it if the nodes said
     * it was underpriced), and then, while none is in progress, the oldest unstarted one, given its nonce and signed in
     * one database transaction first. An unstarted one other than {@code justPlanned} (which the engine planned and
     * simulated at this head) has waited: it is checked first ({@link #stale}) and abandoned if it is no longer wanted;
     * so is {@code justPlanned} when it was planned at a head older than {@code head}.
     */
    private void pump(long head, TxReport.Builder report, long justPlanned) {
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
            // The action just planned was simulated at its head; if a newer head has been seen since (a slow tick, a
            // tick that overlapped the next), it is checked again at the latest block like any that waited: the
            // transaction it may be racing (the vault's previous action, mined meanwhile) changes what it would do.
            if (tx.id() != justPlanned || tx.plannedBlock().orElse(head) < head) {
                Optional<String> why = stale(tx, chain.latestBlock());
                if (why.isPresent()) {
                    abandon(tx, why.get(), report);
                    continue;
                }
            }
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

    /**
     * Counts the journal's states for the gauges, then releases the lock. The lock is released whatever happens: the
     * count reads the journal, and a journal that has just failed (the database gone) would otherwise leave the lock
     * held by no thread, and every later call would wait for it forever, long after the database is back.
     */
    private void unlockAfterGauges() {
        try {
            metrics.states(sender(), journal.countByState(settings.chainId(), sender()));
        } catch (JournalException e) {
            // The gauges keep their last counts; the caller's own journal failure (if any) is what is reported.
        } finally {
            lock.unlock();
        }
    }
}
