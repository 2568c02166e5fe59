-- Changes older than CHANGES_RETENTION_DAYS are deleted by the housekeeping thread
-- (common/housekeeping.c). The position of the last change deleted is kept here, so that a reader
-- still behind it is told (410) instead of silently missing what was deleted.
CREATE TABLE IF NOT EXISTS outbox_horizon (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    txid     xid8    NOT NULL,
    seq      bigint  NOT NULL
);
