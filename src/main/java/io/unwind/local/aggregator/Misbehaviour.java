package io.unwind.local.aggregator;

/** How an emulated aggregator answers. Each one is a way a real aggregator has failed or could be made to lie. */
public enum Misbehaviour {
    /** Quotes the local pools and returns calldata that delivers what it says. */
    HONEST,
    /** Answers honestly, but only after {@link AggregatorEmulator#slowDelay()}. */
    SLOW,
    /** HTTP 500 with the vendor's error body. */
    SERVER_ERROR,
    /** HTTP 429 with the vendor's error body and rate-limit headers. */
    RATE_LIMITED,
    /** HTTP 200 with a body cut off in the middle of the JSON. */
    MALFORMED_JSON,
    /** An HTML page (a gateway's or a WAF's) instead of JSON. */
    HTML_ERROR,
    /** The vendor's "no route" answer. */
    NO_ROUTE,
    /** Reports {@link AggregatorEmulator#overstatement()} times what the calldata really delivers. */
    OVERSTATED_QUOTE,
    /** Calldata aimed at a contract the vault never allow-listed (the position manager). */
    FOREIGN_TARGET,
    /** Calldata that pays the proceeds to {@link AggregatorEmulator#THIEF}, not to the vault. */
    WRONG_RECIPIENT
}
