package io.unwind.tx;

import io.unwind.chain.SendResult;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.tx.SendErrorClass;
import io.unwind.domain.tx.SendErrorClassifier;
import io.unwind.domain.tx.SendOutcome;
import java.util.List;
import java.util.Locale;

/**
 * One endpoint's answer to a broadcast, classified. An acceptance counts only if the node's hash is the one computed
 * here from the signed bytes (web3j's RawTransactionManager makes the same check): a node that reports another hash is
 * lying or broken, and its answer counts as a refusal.
 *
 * @param answer accepted, rejected, unreachable or hash-mismatch
 * @param detail the node's message, or the hash it reported
 */
record EndpointAnswer(String endpoint, String answer, SendErrorClass cls, String detail) {
    private static final int MAX_DETAIL = 500;

    static List<EndpointAnswer> classify(List<SendResult> results, TxHash expected) {
        return results.stream().map(r -> classify(r, expected)).toList();
    }

    static EndpointAnswer classify(SendResult r, TxHash expected) {
        if (r.accepted()) {
            String hash = r.txHash().orElseThrow().toLowerCase(Locale.ROOT);
            return hash.equals(expected.hex())
                    ? new EndpointAnswer(r.endpoint(), "accepted", SendErrorClass.TREAT_AS_SENT, hash)
                    : new EndpointAnswer(r.endpoint(), "hash-mismatch", SendErrorClass.FATAL, shorten(hash));
        }
        String message = shorten(r.error().orElse(""));
        if (r.unreachable())
            return new EndpointAnswer(r.endpoint(), "unreachable", SendErrorClass.TRANSIENT_RETRY, message);
        return new EndpointAnswer(r.endpoint(), "rejected", SendErrorClassifier.classify(message), message);
    }

    static SendOutcome outcome(List<EndpointAnswer> answers) {
        return SendOutcome.combine(answers.stream().map(EndpointAnswer::cls).toList());
    }

    boolean hashMismatch() {
        return "hash-mismatch".equals(answer);
    }

    @Override
    public String toString() {
        return endpoint + ": " + answer + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static String shorten(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
