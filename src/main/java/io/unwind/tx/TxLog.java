package io.unwind.tx;

import io.unwind.store.AttemptRecord;
import io.unwind.store.TxRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction layer's messages for operators, in one place. Conditions that repeat every head (a held or unanswered
 * transaction, an unreachable chain) are logged when they start and then every {@value #REPEAT_EVERY} times, not on
 * every block.
 */
final class TxLog {
    private static final Logger log = LoggerFactory.getLogger(TxLog.class);
    static final int REPEAT_EVERY = 20;

    private final Map<String, Integer> repeats = new ConcurrentHashMap<>();

    void sent(TxRecord tx, AttemptRecord a) {
        log.info("{} sent: {}", tx, a);
    }

    void held(TxRecord tx, AttemptRecord a, List<EndpointAnswer> answers) {
        if (due("held-" + a.id())) {
            log.warn(
                    "{} HELD: the sender cannot pay for {} ({}); fund {} and it goes out unchanged",
                    tx,
                    a,
                    answers,
                    tx.from());
        }
    }

    void retry(TxRecord tx, AttemptRecord a, List<EndpointAnswer> answers) {
        if (due("retry-" + a.id())) log.warn("{} not taken by any node, will send again unchanged: {}", tx, answers);
    }

    void rejected(TxRecord tx, AttemptRecord a, List<EndpointAnswer> answers) {
        log.error("{} REFUSED for good, never sent ({}): {}", tx, a, answers);
    }

    void replacementRefused(TxRecord tx, AttemptRecord a, List<EndpointAnswer> answers) {
        log.error("{}: replacement {} refused for good; the earlier attempt stays in the pool: {}", tx, a, answers);
    }

    void hashMismatch(TxRecord tx, AttemptRecord a, List<EndpointAnswer> answers) {
        log.error("ALERT {}: a node reported a hash other than {} for the bytes we signed: {}", tx, a.hash(), answers);
    }

    void replaced(TxRecord tx, AttemptRecord old, AttemptRecord replacement, String why) {
        log.info(
                "{} replaced at nonce {}: {} -> {} ({})",
                tx,
                tx.nonce().orElse(-1),
                old.fees(),
                replacement.fees(),
                why);
    }

    void resentUnchanged(TxRecord tx, AttemptRecord a, String why) {
        log.warn("{} re-sent unchanged ({}): {}", tx, a, why);
    }

    void stuck(TxRecord tx, AttemptRecord a, long blocks) {
        log.info("{} stuck: {} not mined {} blocks after it was sent", tx, a, blocks);
    }

    void confirmed(TxRecord tx) {
        var c = tx.confirmation().orElseThrow();
        if (c.succeeded()) {
            log.info("{} mined in block {} ({} gas, fee {})", tx, c.blockNumber(), c.gasUsed(), c.feePaid());
        } else {
            log.warn(
                    "{} mined in block {} but REVERTED ({} gas, fee {}): {}",
                    tx,
                    c.blockNumber(),
                    c.gasUsed(),
                    c.feePaid(),
                    tx.error().orElse("reason unknown"));
        }
    }

    void reorged(TxRecord tx, String why) {
        log.warn("{} re-orged out: {}", tx, why);
    }

    void cancelling(TxRecord tx, String why) {
        log.warn("{} no longer needed after a re-org: cancelling at its nonce ({})", tx, why);
    }

    void finalized(TxRecord tx) {
        log.debug("{} final", tx);
    }

    void nonceTaken(TxRecord tx, String why) {
        log.error("ALERT {}: {}", tx, why);
    }

    void gasEstimateReverts(TxRecord tx, String message) {
        log.warn("{}: re-estimating gas for a replacement reverts now ({}); keeping the gas limit", tx, message);
    }

    /**
     * What recovery did with a transaction the last run left in flight, in one line: "journal recovery: tx#1 (sell
     * ...): mined in block 12 before the restart, not sent again".
     */
    void recovered(TxRecord tx, String what) {
        log.info("journal recovery: {}: {}", tx.describe(), what);
    }

    void abandoned(TxRecord tx, String why) {
        log.warn("{}: abandoned, not signed or sent: {}", tx.describe(), why);
    }

    void chainUnavailable(String what, String problem) {
        if (due("chain")) log.warn("{}: the chain cannot be read, will try at the next head: {}", what, problem);
    }

    void chainBack() {
        if (repeats.remove("chain") != null) log.info("the chain can be read again");
    }

    /** Forgets the repeat count of a condition that ended. */
    void ended(AttemptRecord a) {
        repeats.remove("held-" + a.id());
        repeats.remove("retry-" + a.id());
    }

    private boolean due(String key) {
        int n = repeats.merge(key, 1, Integer::sum);
        return n == 1 || n % REPEAT_EVERY == 0;
    }
}
