package io.unwind.domain.tx;

import java.util.Collection;

/**
 * What one broadcast of an attempt to every endpoint came to, from each endpoint's {@link SendErrorClass} (an
 * acceptance with the right hash counts as {@link SendErrorClass#TREAT_AS_SENT}, an unreachable endpoint as
 * {@link SendErrorClass#TRANSIENT_RETRY}). One endpoint that has it is enough; a definite refusal outranks a failure to
 * get through.
 */
public enum SendOutcome {
    /** At least one node has it, or its nonce is already used. */
    SENT,
    /** Its fees are too low for a node's pool (or to replace what is there): bump now. */
    UNDERPRICED,
    /** The sender cannot pay for it: hold the signed bytes and send them again later. */
    HELD,
    /** Refused for good by a node, and accepted by none. */
    FATAL,
    /** No node answered usefully: send the same bytes again later. */
    RETRY;

    public static SendOutcome combine(Collection<SendErrorClass> answers) {
        if (answers.isEmpty()) return RETRY;
        if (answers.stream().anyMatch(c -> c == SendErrorClass.TREAT_AS_SENT || c == SendErrorClass.NONCE_TOO_LOW)) {
            return SENT;
        }
        if (answers.stream()
                .anyMatch(c -> c == SendErrorClass.REPLACEMENT_UNDERPRICED || c == SendErrorClass.UNDERPRICED_BUMP)) {
            return UNDERPRICED;
        }
        if (answers.contains(SendErrorClass.INSUFFICIENT_FUNDS_HOLD)) return HELD;
        if (answers.contains(SendErrorClass.FATAL)) return FATAL;
        return RETRY;
    }

    /** Whether the attempt is out there (in a pool, or its nonce used). */
    public boolean sent() {
        return this == SENT;
    }
}
