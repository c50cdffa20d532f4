-- Cluster mode: each partition's last tick, whichever node ran it. A node writes its row at each firing Quartz hands
-- it; every node reads the table at each check-in for the partitions' last-tick age, the partitions it ticked last
-- (unwind_cluster_partitions_owned: each partition counts on one node) and the takeover of a stopped node's partitions.
-- Portable SQL (H2 and PostgreSQL).

CREATE TABLE cluster_partition (
    chain_id   BIGINT       NOT NULL,
    part       INTEGER      NOT NULL,
    node_id    VARCHAR(100) NOT NULL,
    ticked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cluster_partition_pk PRIMARY KEY (chain_id, part)
);
