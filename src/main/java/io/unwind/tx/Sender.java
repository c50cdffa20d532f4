package io.unwind.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.chain.ChainClient;
import io.unwind.chain.ChainException;
import io.unwind.domain.fee.BumpDecision;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeeHistory;
import io.unwind.domain.fee.FeePolicy;
import io.unwind.domain.fee.GasLimit;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.tx.SendErrorClass;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptPurpose;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxRecord;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Sends attempts and acts on what the nodes answer: marks a transaction sent or refused, holds it, or replaces it at
 * the same nonce with higher fees. Every attempt is in the journal before it is broadcast. Not thread-safe: the manager
 * calls it under its lock.
 */
final class Sender {
    private final ChainClient chain;
    private final Journal journal;
    private final AttemptSigner signer;
    private final TxSettings settings;
    private final FeePolicy feePolicy;
    private final TxMetrics metrics;
    private final TxLog log;
    private final ObjectMapper json = new ObjectMapper();

    Sender(
            ChainClient chain,
            Journal journal,
            AttemptSigner signer,
            TxSettings settings,
            TxMetrics metrics,
            TxLog log) {
        this.chain = chain;
        this.journal = journal;
        this.signer = signer;
        this.settings = settings;
        this.feePolicy = new FeePolicy(settings.fees());
        this.metrics = metrics;
        this.log = log;
    }

    /**
     * Broadcasts {@code a} (the journaled bytes, unchanged) to every endpoint and acts on the answers.
     *
     * @param bumpsLeft replacements that may follow at once if the nodes say the fees are too low
     */
    SendOutcome send(TxRecord tx, AttemptRecord a, long head, TxReport.Builder report, int bumpsLeft) {
        List<EndpointAnswer> answers = EndpointAnswer.classify(chain.broadcast(a.signedRaw()), a.hash());
        CrashPoints.reach(a.number() == 1 ? CrashPoints.TX_BROADCAST : CrashPoints.REPLACE_BROADCAST);
        SendOutcome outcome = EndpointAnswer.outcome(answers);
        for (EndpointAnswer x : answers) {
            if (!"accepted".equals(x.answer())) metrics.broadcastError(x.cls());
        }
        if (answers.stream().anyMatch(EndpointAnswer::hashMismatch)) {
            metrics.hashMismatch();
            log.hashMismatch(tx, a, answers);
        }
        boolean resend = a.broadcastCount() > 0;
        AttemptRecord recorded = journal.recordBroadcast(a.id(), outcome, toJson(answers), head);
        if (a.number() == 1) CrashPoints.reach(CrashPoints.TX_RECORDED);
        TxRecord now = journal.find(tx.id()).orElseThrow();
        switch (outcome) {
            case SENT -> {
                log.ended(a);
                if (now.state() == TxState.IN_PROGRESS) {
                    now = journal.markSent(tx.id());
                    CrashPoints.reach(CrashPoints.TX_SENT);
                }
                if (!resend) log.sent(now, recorded);
                report.add(
                        tx.id(),
                        resend ? TxReport.Kind.RESENT : TxReport.Kind.SENT,
                        a.hash().hex());
            }
            case HELD -> {
                log.held(now, recorded, answers);
                report.add(tx.id(), TxReport.Kind.HELD, first(answers, SendErrorClass.INSUFFICIENT_FUNDS_HOLD));
            }
            case RETRY -> retry(now, a, answers, report);
            case FATAL -> {
                if (now.state() == TxState.IN_PROGRESS) {
                    String why = answers.stream()
                            .filter(x -> x.cls() == SendErrorClass.FATAL)
                            .findFirst()
                            .map(EndpointAnswer::toString)
                            .orElse("refused");
                    journal.markRejected(tx.id(), why);
                    log.rejected(now, a, answers);
                    report.add(tx.id(), TxReport.Kind.REJECTED, why);
                } else {
                    log.replacementRefused(now, a, answers);
                }
            }
            case UNDERPRICED -> {
                if (bumpsLeft > 0) {
                    bump(journal.detail(tx.id()).orElseThrow(), head, report, bumpsLeft - 1);
                } else {
                    report.add(tx.id(), TxReport.Kind.RETRY, "underpriced: " + first(answers, null));
                }
            }
        }
        return outcome;
    }

    private void retry(TxRecord tx, AttemptRecord a, List<EndpointAnswer> answers, TxReport.Builder report) {
        // An answer nobody recognises: if the pending nonce moved past ours, the transaction got out (or another took
        // its nonce, which the confirmer finds out); otherwise send the same bytes again at the next head.
        if (tx.state() == TxState.IN_PROGRESS && answers.stream().anyMatch(x -> x.cls() == SendErrorClass.UNKNOWN)) {
            try {
                if (chain.nonce(tx.from(), true).compareTo(BigInteger.valueOf(tx.requireNonce())) > 0) {
                    journal.markSent(tx.id());
                    report.add(tx.id(), TxReport.Kind.SENT, "the pending nonce moved past it: " + answers);
                    return;
                }
            } catch (ChainException e) {
                // cannot tell: retry
            }
        }
        log.retry(tx, a, answers);
        report.add(tx.id(), TxReport.Kind.RETRY, answers.toString());
    }

    /**
     * Replaces the newest attempt: both fee fields raised by the fee policy (at least geth's +10%), gas re-estimated
     * but never lowered; or, where the cap leaves no room, the attempt a node holds is sent again unchanged.
     */
    void bump(TxDetail d, long head, TxReport.Builder report, int bumpsLeft) {
        TxRecord tx = d.tx();
        AttemptRecord current = d.latest().orElseThrow();
        BumpDecision decision =
                feePolicy.bump(current.fees(), feeHistory(), Urgency.ofScore(tx.urgency()), settings.caps());
        switch (decision) {
            case BumpDecision.Replace r -> {
                long gas = current.purpose() == AttemptPurpose.CANCEL
                        ? TxRequest.MIN_GAS
                        : Math.max(current.gasLimit(), estimateGas(tx));
                AttemptRecord next = journal.addAttempt(
                        tx.id(), signer.sign(tx, tx.requireNonce(), current.purpose(), r.fees(), gas));
                CrashPoints.reach(CrashPoints.REPLACE_SIGNED);
                metrics.replaced();
                log.replaced(tx, current, next, r.why());
                report.add(tx.id(), TxReport.Kind.REPLACED, current.fees() + " -> " + next.fees() + ": " + r.why());
                send(tx, next, head, report, bumpsLeft);
            }
            case BumpDecision.ResendUnchanged u -> {
                AttemptRecord pooled = d.attempts().stream()
                        .filter(AttemptRecord::everSent)
                        .max(Comparator.comparingInt(AttemptRecord::number))
                        .orElse(current);
                log.resentUnchanged(tx, pooled, u.why());
                send(tx, pooled, head, report, 0);
            }
        }
    }

    /**
     * Fills the nonce of a transaction whose action is no longer wanted with a 0-value transfer to the sender itself,
     * priced to replace whatever attempt a node may still hold. A cancellation costs 21,000 gas, so where the cap
     * leaves no room for a valid replacement it pays geth's minimum over the cap rather than leave the action to be
     * mined.
     */
    void cancel(TxDetail d, long head, TxReport.Builder report) {
        TxRecord tx = d.tx();
        AttemptRecord current = d.latest().orElseThrow();
        Eip1559Fees fees =
                switch (feePolicy.bump(current.fees(), feeHistory(), Urgency.ofScore(tx.urgency()), settings.caps())) {
                    case BumpDecision.Replace r -> r.fees();
                    case BumpDecision.ResendUnchanged u -> FeePolicy.minimumReplacement(current.fees());
                };
        AttemptRecord cancel = journal.addAttempt(
                tx.id(), signer.sign(tx, tx.requireNonce(), AttemptPurpose.CANCEL, fees, TxRequest.MIN_GAS));
        CrashPoints.reach(CrashPoints.CANCEL_SIGNED);
        report.add(tx.id(), TxReport.Kind.CANCEL_SENT, cancel.toString());
        send(tx, cancel, head, report, settings.maxImmediateBumps());
    }

    private FeeHistory feeHistory() {
        List<Integer> percentiles = settings.fees().percentilesToRequest();
        return FeeHistories.toDomain(
                chain.feeHistory(
                        settings.feeHistoryBlocks(),
                        percentiles.stream().map(Integer::doubleValue).toList()),
                percentiles);
    }

    private long estimateGas(TxRecord tx) {
        try {
            return switch (chain.estimateGas(tx.from(), tx.to(), tx.data())) {
                case ChainClient.EstimateResult.Gas g ->
                    GasLimit.ofPermille(settings.gasMarginPermille())
                            .forEstimate(g.units())
                            .longValueExact();
                case ChainClient.EstimateResult.Reverted r -> {
                    log.gasEstimateReverts(tx, r.revert().message());
                    yield tx.gasLimit();
                }
            };
        } catch (ChainException e) {
            return tx.gasLimit();
        }
    }

    private static String first(List<EndpointAnswer> answers, SendErrorClass cls) {
        return answers.stream()
                .filter(x -> cls == null || x.cls() == cls)
                .findFirst()
                .map(EndpointAnswer::toString)
                .orElse("");
    }

    private String toJson(List<EndpointAnswer> answers) {
        try {
            return json.writeValueAsString(answers.stream()
                    .map(x -> Map.of(
                            "endpoint",
                            x.endpoint(),
                            "answer",
                            x.answer(),
                            "class",
                            x.cls().name(),
                            "detail",
                            x.detail()))
                    .toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write endpoint answers as JSON", e);
        }
    }
}
