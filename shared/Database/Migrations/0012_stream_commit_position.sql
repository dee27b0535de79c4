-- Issue 3 follow-up: change events are ordered by (commit position, change position), not by the change position
-- alone. A transaction that changed a row before the CDC relay's snapshot point but committed after it is streamed
-- with change positions below that point: by the change position alone it lost to the (older) snapshot row.
-- Rows written before this column existed compare as if committed at their change position.
ALTER TABLE staging.stream_comments ADD COLUMN source_commit_lsn pg_lsn;
