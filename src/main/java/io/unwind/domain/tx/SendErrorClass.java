package io.unwind.domain.tx;

/** What a node's answer to {@code eth_sendRawTransaction} means for the transaction, and so what to do next. */
public enum SendErrorClass {
    /** Invalid for good (gas limit, sender, chain id, fee fields, encoding): never sent; its nonce is free. */
    FATAL,
    /** The node has it already ("already known", anvil's "transaction already imported"): it got out. */
    TREAT_AS_SENT,
    /** The nonce is used: by this transaction (sent before a crash) or by another; the confirmer finds out which. */
    NONCE_TOO_LOW,
    /** Fee below what the node takes (its minimum tip, or under the base fee): raise the fees and send again now. */
    UNDERPRICED_BUMP,
    /** A transaction with the same nonce is in the pool with fees this one does not beat by enough: bump now. */
    REPLACEMENT_UNDERPRICED,
    /** A nonce gap: an earlier nonce is not in the node's pool yet; send again later, unchanged. */
    NONCE_TOO_HIGH_RETRY,
    /** The sender cannot pay gas x fee cap + value: hold, alert, and re-send the same bytes later. */
    INSUFFICIENT_FUNDS_HOLD,
    /** The node or the way to it failed (5xx, timeout, rate limit, pool full): send again later, unchanged. */
    TRANSIENT_RETRY,
    /** Not recognised: send again later, unchanged; meanwhile a moved nonce shows whether it got out. */
    UNKNOWN
}
