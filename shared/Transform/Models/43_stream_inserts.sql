-- depends_on: stream_changes
-- New source comments (and ones that became clean again) enter production.
INSERT INTO production.comments
    (comment_id, origin, comment_text, labels, input_ids, load_id, line_number, source_lsn, ingested_at, transformed_at, feedback)
SELECT s.source_id, 'stream', s.comment_text, s.labels, s.input_ids, NULL, NULL, s.source_lsn, s.source_ts, now(), s.feedback
FROM stream_changes s
WHERE s.keep
  AND NOT s.in_production
ON CONFLICT (comment_id) DO NOTHING;
