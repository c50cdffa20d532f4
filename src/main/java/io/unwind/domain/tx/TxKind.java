package io.unwind.domain.tx;

/** What a transaction is for; a bounded set, so it can label metrics. */
public enum TxKind {
    DELEVERAGE,
    TOP_UP,
    /** Anything else the keeper sends (set-up, operator transfers, tests). */
    OTHER
}
