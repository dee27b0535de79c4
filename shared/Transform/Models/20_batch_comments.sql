-- depends_on: pending_loads
-- Clean batch rows of the pending loads. Batch ids are UUIDv7 made by the loader, unique by construction; should a
-- duplicate ever reach staging (the staging suite fails on it), the first one scanned is kept and the rest skipped.
INSERT INTO production.comments
    (comment_id, origin, comment_text, labels, input_ids, load_id, line_number, source_lsn, ingested_at, transformed_at)
SELECT c.id, 'batch', c.comment_text, c.labels, c.input_ids, c.load_id, c.line_number, NULL, c.loaded_at, now()
FROM staging.comments c
JOIN pending_loads p ON p.load_id = c.load_id
WHERE production.is_clean_comment(c.comment_text, c.labels, c.input_ids)
ON CONFLICT (comment_id) DO NOTHING;
