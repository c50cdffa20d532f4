-- Which partitions of the vaults each cluster node ticked lately (comma-separated numbers), for `unwind status`.
-- Portable SQL (H2 and PostgreSQL).

ALTER TABLE keeper_node ADD COLUMN partitions VARCHAR(4000);
