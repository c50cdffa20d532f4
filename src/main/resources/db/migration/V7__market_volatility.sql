-- Each market's realized volatility, as the keeper estimates it from its oracle and pool prices (two exponentially
-- weighted averages of squared log returns per source): kept so that a restart in the middle of a wild market does
-- not start from a calm one. One row per chain, market and price source; the price is an integer of any size, kept
-- as its decimal text. Portable SQL (H2 and PostgreSQL).

CREATE TABLE market_volatility (
    chain_id       BIGINT           NOT NULL,
    market_id      VARCHAR(66)      NOT NULL,
    source         VARCHAR(10)      NOT NULL,
    block          BIGINT           NOT NULL,
    price          VARCHAR(100)     NOT NULL,
    fast_weighted  DOUBLE PRECISION NOT NULL,
    fast_weight    DOUBLE PRECISION NOT NULL,
    slow_weighted  DOUBLE PRECISION NOT NULL,
    slow_weight    DOUBLE PRECISION NOT NULL,
    samples        INTEGER          NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (chain_id, market_id, source)
);
