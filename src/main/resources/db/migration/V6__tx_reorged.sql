-- Whether a transaction is back in UNCONFIRMED because the block that had mined it left the chain: the keeper then
-- asks whether its vault still needs it (send again) or not (cancel), and after a restart asks again unless a
-- cancellation was signed. Until now the journal said so only by the wording of the error column; the note stays
-- there for people, the flag is what the keeper reads. Portable SQL (H2 and PostgreSQL).

ALTER TABLE tx ADD COLUMN reorged BOOLEAN DEFAULT FALSE NOT NULL;

-- Journals written before this column: the note's wording was the flag.
UPDATE tx SET reorged = TRUE WHERE state = 'UNCONFIRMED' AND error LIKE 're-orged: %';
