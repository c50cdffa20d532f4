package io.unwind.tx;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.Receipt;
import io.unwind.chain.TxInfo;
import io.unwind.chain.vault.VaultErrors;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.StuckRule;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptPurpose;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settles transactions against the chain at each head: mined ones are confirmed with their receipt, stuck ones
 * replaced, ones whose nonce another transaction used are given up (after finding that transaction), re-orged ones
 * brought back, and final ones marked so. Not thread-safe: the manager calls it under its lock.
 */
final class Confirmer {
    private final ChainClient chain;
    private final Journal journal;
    private final Sender sender;
    private final TxSettings settings;
    private final StuckRule stuckRule;
    private final ReorgHook reorgHook;
    private final TxMetrics metrics;
    private final TxLog log;
    /** How the journal's note on a re-orged transaction begins, for people (the keeper reads TxRecord.reorged). */
    static final String REORGED = "re-orged: ";
    /** Transactions whose nonce is used but whose user is not found yet: the head at which that was first seen. */
    private final Map<Long, Long> nonceUsedSince = new HashMap<>();

    Confirmer(
            ChainClient chain,
            Journal journal,
            Sender sender,
            TxSettings settings,
            ReorgHook reorgHook,
            TxMetrics metrics,
            TxLog log) {
        this.chain = chain;
        this.journal = journal;
        this.sender = sender;
        this.settings = settings;
        this.stuckRule = new StuckRule(settings.stuckAfterBlocks());
        this.reorgHook = reorgHook;
        this.metrics = metrics;
        this.log = log;
    }

    /**
     * An UNCONFIRMED transaction: confirmed if one of its attempts has a receipt (looked for only once the sender's
     * mined nonce is past it); given up if another transaction used its nonce; otherwise sent again if no node has its
     * newest attempt, or replaced if that attempt is stuck.
     */
    void settle(TxRecord tx, long minedNonce, BlockRef head, TxReport.Builder report) {
        TxDetail d = journal.detail(tx.id()).orElseThrow();
        long nonce = tx.requireNonce();
        if (minedNonce > nonce) {
            List<AttemptRecord> attempts = d.attempts();
            for (int i = attempts.size() - 1; i >= 0; i--) {
                Optional<Receipt> r = chain.receipt(attempts.get(i).hash());
                if (r.isPresent()) {
                    CrashPoints.reach(CrashPoints.CONFIRM_RECEIPT);
                    confirm(tx, attempts.get(i), r.get(), report);
                    return;
                }
            }
            nonceUsedElsewhere(d, head, report);
            return;
        }
        nonceUsedSince.remove(tx.id());
        CrashPoints.reach(CrashPoints.CONFIRM_WAITING);
        AttemptRecord current = d.latest().orElseThrow();
        if (!current.everSent()) {
            if (current.outcome().equals(Optional.of(SendOutcome.UNDERPRICED))) {
                sender.bump(d, head.number(), report, settings.maxImmediateBumps());
            } else {
                sender.send(tx, current, head.number(), report, settings.maxImmediateBumps());
            }
            return;
        }
        long sentAt = current.lastSentBlock().orElse(head.number());
        if (stuckRule.isStuck(sentAt, head.number())) {
            log.stuck(tx, current, stuckRule.blocksWaiting(sentAt, head.number()));
            CrashPoints.reach(CrashPoints.TX_STUCK);
            sender.bump(d, head.number(), report, settings.maxImmediateBumps());
        }
    }

    /**
     * A CONFIRMED transaction: if its receipt is gone or moved to another block, it goes back to UNCONFIRMED and, as
     * the re-org hook decides, its mined attempt is sent again unchanged or the nonce is filled with a cancellation.
     * Otherwise it becomes FINALIZED once its block is at or below the finalized block (or, where the node has no
     * finalized block, deep enough) and the chain still has that block at that height.
     */
    void recheck(TxRecord tx, BlockRef head, Optional<BlockRef> finalized, TxReport.Builder report) {
        TxRecord.Confirmation c = tx.confirmation().orElseThrow();
        AttemptRecord mined = journal.attempt(c.attemptId()).orElseThrow();
        Optional<Receipt> r = chain.receipt(mined.hash());
        if (r.isEmpty() || !r.get().blockHash().equals(c.blockHash())) {
            String why = r.isEmpty()
                    ? "the receipt of " + mined.hash() + " (block " + c.blockNumber() + " " + c.blockHash()
                            + ") is gone"
                    : "it moved from block " + c.blockNumber() + " " + c.blockHash() + " to "
                            + r.get().blockNumber() + " " + r.get().blockHash();
            TxRecord back = journal.markReorged(tx.id(), REORGED + why);
            CrashPoints.reach(CrashPoints.REORG_MARKED);
            metrics.reorged();
            log.reorged(back, why);
            report.add(tx.id(), TxReport.Kind.REORGED, why);
            if (r.isPresent()) {
                confirm(back, mined, r.get(), report);
                return;
            }
            afterReorg(back, mined, head.number(), why, report);
            return;
        }
        boolean deepEnough = finalized
                .map(f -> c.blockNumber() <= f.number())
                .orElse(head.number() - c.blockNumber() >= settings.confirmationDepth());
        if (!deepEnough) return;
        Optional<BlockRef> block = chain.blockByNumber(c.blockNumber());
        if (block.isPresent() && block.get().hash().equals(c.blockHash())) {
            CrashPoints.reach(CrashPoints.FINALIZING);
            log.finalized(journal.markFinalized(tx.id()));
            report.add(tx.id(), TxReport.Kind.FINALIZED, "block " + c.blockNumber());
        }
    }

    /** The re-org hook decides: {@code attempt} is sent again unchanged, or the nonce is filled with a cancellation. */
    void afterReorg(TxRecord back, AttemptRecord attempt, long head, String why, TxReport.Builder report) {
        switch (reorgHook.afterReorg(back)) {
            case REBROADCAST -> sender.send(back, attempt, head, report, 0);
            case CANCEL -> {
                log.cancelling(back, why);
                sender.cancel(journal.detail(back.id()).orElseThrow(), head, report);
            }
        }
    }

    /**
     * Whether the journal says {@code tx} was re-orged out and no cancellation was signed for it since: then, after a
     * restart, the hook must decide again, since the process may have died before it did (or acted on it).
     */
    static boolean reorgedWithoutCancel(TxRecord tx, AttemptRecord newest) {
        return tx.state() == TxState.UNCONFIRMED && tx.reorged() && newest.purpose() != AttemptPurpose.CANCEL;
    }

    private void confirm(TxRecord tx, AttemptRecord a, Receipt r, TxReport.Builder report) {
        nonceUsedSince.remove(tx.id());
        String reverted = r.success() ? null : revertReason(tx, a, r);
        TxRecord done = journal.markMined(
                tx.id(),
                a.id(),
                r.blockNumber(),
                r.blockHash(),
                r.success(),
                r.gasUsed().longValueExact(),
                Wei.of(r.effectiveGasPrice()),
                reverted);
        CrashPoints.reach(CrashPoints.CONFIRM_MINED);
        metrics.confirmed(r.success(), done.confirmation().orElseThrow().feePaid(), tx.kind());
        log.confirmed(done);
        report.add(
                tx.id(),
                TxReport.Kind.CONFIRMED,
                "attempt " + a.number() + " in block " + r.blockNumber()
                        + (r.success() ? "" : " (reverted: " + reverted + ")"));
    }

    /**
     * Why a mined attempt reverted, for the journal: a receipt carries no reason, so the same call is replayed, from
     * the same sender, on the state of the block before (eth_call pinned to that block's hash) and its revert decoded
     * (the vault's custom errors by name, with their arguments in words). Transactions earlier in the same block may
     * have changed what the call saw: when the replay does not revert, that, or running out of gas, is said instead.
     */
    private String revertReason(TxRecord tx, AttemptRecord a, Receipt r) {
        if (a.purpose() == AttemptPurpose.CANCEL) return "reverted on chain (a cancellation: a transfer to itself)";
        if (r.gasUsed().longValueExact() >= a.gasLimit()) {
            return "reverted on chain: ran out of gas (used all " + a.gasLimit() + ")";
        }
        try {
            Optional<BlockRef> before = chain.blockByNumber(r.blockNumber() - 1);
            if (before.isEmpty())
                return "reverted on chain; the reason could not be read (no block " + (r.blockNumber() - 1) + ")";
            return switch (chain.call(
                    tx.from(), tx.to(), tx.data(), before.get().hash())) {
                case CallResult.Reverted rev -> "reverted on chain: " + VaultErrors.explainInWords(rev.data());
                case CallResult.Success s ->
                    "reverted on chain; the same call succeeds on the state before block " + r.blockNumber()
                            + ", so a transaction earlier in that block changed what it saw";
            };
        } catch (RuntimeException e) {
            return "reverted on chain; the reason could not be read: " + e.getMessage();
        }
    }

    /**
     * The sender's nonce moved past this transaction and none of its attempts has a receipt. Never assume either way:
     * find the transaction that used the nonce. One of ours: its receipt is late, wait. Another: give this one up,
     * naming it. Not found: give up only after the confirmation depth, in case a node was behind.
     */
    private void nonceUsedElsewhere(TxDetail d, BlockRef head, TxReport.Builder report) {
        TxRecord tx = d.tx();
        long nonce = tx.requireNonce();
        Set<TxHash> ours = d.attempts().stream().map(AttemptRecord::hash).collect(Collectors.toSet());
        Optional<TxInfo> user = NonceOwners.find(chain, tx.from(), nonce, head.number(), settings.nonceScanBlocks());
        if (user.isPresent() && ours.contains(user.get().hash())) return;
        long since = nonceUsedSince.computeIfAbsent(tx.id(), k -> head.number());
        String why;
        if (user.isPresent()) {
            TxInfo u = user.get();
            String whose = journal.attemptByHash(u.hash())
                    .map(x -> "attempt " + x.number() + " of this keeper's tx#" + x.txId())
                    .orElse("a transaction this keeper did not sign");
            why = "nonce " + nonce + " was used by " + u.hash() + " in block "
                    + (u.blockNumber().isPresent() ? u.blockNumber().getAsLong() : "?") + " (" + whose
                    + "), not by any of this transaction's " + ours.size() + " attempts";
        } else if (head.number() - since >= settings.confirmationDepth()) {
            why = "nonce " + nonce + " was used, not by any of this transaction's " + ours.size() + " attempts, by a"
                    + " transaction not found in the last " + settings.nonceScanBlocks() + " blocks";
        } else {
            return;
        }
        nonceUsedSince.remove(tx.id());
        TxRecord given = journal.markNonceTaken(tx.id(), why);
        metrics.nonceTaken();
        log.nonceTaken(given, why);
        report.add(tx.id(), TxReport.Kind.NONCE_TAKEN, why);
    }
}
