-- depends_on: batch_comments
-- The pending loads are now taken: the next run skips them.
INSERT INTO production.transformed_loads (load_id, rows_staged, transformed_at)
SELECT p.load_id, p.rows_loaded, now()
FROM pending_loads p;
