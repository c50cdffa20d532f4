package io.unwind.domain.position;

/**
 * A vault's price guard's verdict (UnwindVault.checkPrice; VaultHealth.priceStatus on chain): keepers may act only when
 * it is {@link #OK}, which it also is for a vault without a feed.
 */
public enum PriceStatus {
    OK("fresh"),
    STALE("the feed is older than the vault's max price age"),
    DEVIATION("the market oracle and the feed disagree by more than the vault allows"),
    FEED_FAILED("the feed could not be read or gave no usable answer");

    private final String words;

    PriceStatus(String words) {
        this.words = words;
    }

    /** The on-chain code (PRICE_OK 0 .. PRICE_FEED_FAILED 3); an unknown code reads as a failed feed. */
    public static PriceStatus ofCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : FEED_FAILED;
    }

    public boolean ok() {
        return this == OK;
    }

    public String describe() {
        return words;
    }
}
