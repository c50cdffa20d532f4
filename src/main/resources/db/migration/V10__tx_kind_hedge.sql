-- The hedge's keeper actions (UnwindHedge): a short opened or grown, bought back, and its profit released to the vault.
-- Sent to the hedge and journaled under it, so that they never take the vault's one-in-flight slot. Portable SQL.

ALTER TABLE tx DROP CONSTRAINT tx_kind_ck;
ALTER TABLE tx ADD CONSTRAINT tx_kind_ck
    CHECK (kind IN ('DELEVERAGE', 'TOP_UP', 'MOVE', 'HEDGE', 'UNHEDGE', 'HEDGE_RELEASE', 'OTHER'));
