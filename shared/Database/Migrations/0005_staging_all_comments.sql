-- Everything staging holds as live comments, from both sources, in one shape: what the data-quality suite checks
-- (shared/Quality/suites/staging.json). Batch rows count only once their load is complete; stream tombstones are
-- deletions, not comments. record_key names the staging row: "batch:LOAD_ID:LINE" or "stream:SOURCE_ID".
CREATE VIEW staging.all_comments AS
SELECT 'batch'::text                                        AS origin,
       'batch:' || c.load_id || ':' || c.line_number        AS record_key,
       c.id,
       c.comment_text,
       c.labels,
       c.input_ids,
       c.loaded_at                                          AS ingested_at
FROM staging.comments c
JOIN staging.loads l ON l.load_id = c.load_id AND l.status = 'loaded'
UNION ALL
SELECT 'stream'::text,
       'stream:' || s.source_id,
       s.source_id,
       s.comment_text,
       s.labels,
       s.input_ids,
       s.source_ts
FROM staging.stream_comments s
WHERE NOT s.deleted;
