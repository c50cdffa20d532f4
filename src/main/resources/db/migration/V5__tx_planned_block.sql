-- The head at which the engine planned a transaction's action (NULL for transactions that carry no plan). A
-- journaled action that waited is re-checked before it is signed, and one planned too many blocks ago is given up:
-- the next tick plans again from the chain as it is then. Portable SQL (H2 and PostgreSQL).

ALTER TABLE tx ADD COLUMN planned_block BIGINT;
