package io.unwind.domain.tx;

/** What a transaction is for; a bounded set, so it can label metrics. */
public enum TxKind {
    DELEVERAGE("sale"),
    TOP_UP("top-up"),
    /** Anything else the keeper sends (set-up, operator transfers, tests). */
    OTHER("other");

    private final String words;

    TxKind(String words) {
        this.words = words;
    }

    /** The kind in a word, for people. */
    public String describe() {
        return words;
    }
}
