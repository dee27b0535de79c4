-- depends_on: stream_changes
-- Updated source comments take their latest state.
UPDATE production.comments p
SET comment_text = s.comment_text,
    labels = s.labels,
    input_ids = s.input_ids,
    feedback = s.feedback,
    source_lsn = s.source_lsn,
    ingested_at = s.source_ts,
    transformed_at = now()
FROM stream_changes s
WHERE p.comment_id = s.source_id
  AND p.origin = 'stream'
  AND s.in_production
  AND s.keep;
