package io.unwind.domain.tx;

/** What a transaction is for; a bounded set, so it can label metrics. */
public enum TxKind {
    DELEVERAGE("sale", "sell"),
    TOP_UP("top-up", "topup"),
    /** Collateral moved from another of the owner's vaults (sent to that vault, journaled for the one it protects). */
    MOVE("move", "move"),
    /** A hedge's short opened or grown (sent to the hedge, journaled under it). */
    HEDGE("hedge", "hedge"),
    /** A hedge's short bought back, in part or whole. */
    UNHEDGE("hedge buy-back", "unhedge"),
    /** A hedge's profit sent to its vault's reserve. */
    HEDGE_RELEASE("hedge profit release", "release"),
    /** Anything else the keeper sends (set-up, operator transfers, tests). */
    OTHER("other", "other");

    private final String words;
    private final String label;

    TxKind(String words, String label) {
        this.words = words;
        this.label = label;
    }

    /** The kind in a word, for people. */
    public String describe() {
        return words;
    }

    /**
     * The kind as a short label: the prefix of the keeper's idempotency keys, the {@code kind} of its action metric and
     * of the status page's actions. Written out only; nothing parses it back.
     */
    public String label() {
        return label;
    }

    /** The kind as the journal stores it ({@link #name()}); anything else is an error, never a guess. */
    public static TxKind parse(String name) {
        for (TxKind k : values()) {
            if (k.name().equals(name)) return k;
        }
        throw new IllegalArgumentException("unknown transaction kind '" + name
                + "' (expected one of DELEVERAGE, TOP_UP, MOVE, HEDGE, UNHEDGE, HEDGE_RELEASE, OTHER)");
    }
}
