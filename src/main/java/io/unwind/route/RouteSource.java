package io.unwind.route;

import io.unwind.domain.route.Quote;
import java.util.List;

/**
 * A place to sell collateral: an on-chain DEX or an aggregator API. Implementations build the exact calldata the vault
 * will send to the router; nothing they return is trusted (the keeper checks and simulates it, the vault judges it by
 * balances).
 */
public interface RouteSource {

    /** A stable, short name used in metrics, logs and reports ("uniswap-v3", "1inch", ...). */
    String name();

    /**
     * Quotes for the request; empty when the source has no route. A source failure (unreachable, malformed answer, rate
     * limited) is thrown as {@link SourceException}.
     */
    List<Quote> quote(QuoteRequest request);
}
