-- A third kind of keeper action: collateral moved from another of the owner's vaults (sent to that vault, journaled
-- under the vault it protects, whose one-in-flight slot it takes). Portable SQL (H2 and PostgreSQL).

ALTER TABLE tx DROP CONSTRAINT tx_kind_ck;
ALTER TABLE tx ADD CONSTRAINT tx_kind_ck CHECK (kind IN ('DELEVERAGE', 'TOP_UP', 'MOVE', 'OTHER'));
