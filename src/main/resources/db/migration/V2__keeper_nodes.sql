-- The keeper processes that share this journal (cluster mode), each signing with its own key. A node writes its
-- row at start and on every tick; a node whose last_seen_at is old has stopped, and its unsettled transactions
-- may be settled or given up by the others. Portable SQL (H2 and PostgreSQL).

CREATE TABLE keeper_node (
    node_id       VARCHAR(100) PRIMARY KEY,
    chain_id      BIGINT       NOT NULL,
    sender        VARCHAR(42)  NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_block    BIGINT
);

CREATE INDEX keeper_node_sender ON keeper_node (chain_id, sender);
