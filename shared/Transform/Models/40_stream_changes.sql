-- Stream work left: source comments whose latest state differs from production, found by comparing positions
-- (change detection, not a watermark). A source_lsn or updated_at high-water mark would be unsafe here: the CDC
-- consumer may commit rows out of LSN order (partitions, retries), and updated_at is its transaction's start time,
-- so a row committed after a run could carry a mark below that run's. The anti-join probes production's primary key
-- once per stream row, inside PostgreSQL.
--   keep = the row belongs in production now (live and clean); in_production = a stream row for it is there.
CREATE TEMP TABLE stream_changes ON COMMIT DROP AS
SELECT s.source_id,
       s.comment_text,
       s.labels,
       s.input_ids,
       s.feedback,
       s.source_lsn,
       s.source_ts,
       (NOT s.deleted AND production.is_clean_comment(s.comment_text, s.labels, s.input_ids)) IS TRUE AS keep,
       cur.comment_id IS NOT NULL                                                                    AS in_production
FROM staging.stream_comments s
LEFT JOIN production.comments cur ON cur.comment_id = s.source_id AND cur.origin = 'stream'
WHERE (cur.comment_id IS NULL AND NOT s.deleted)
   OR (cur.comment_id IS NOT NULL AND cur.source_lsn <> s.source_lsn);
