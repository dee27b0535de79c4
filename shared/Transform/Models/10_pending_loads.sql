-- Batch work left: complete loads (status 'loaded') that no earlier run took. Loads are immutable once loaded, so
-- this bookkeeping is exact even when loads finish out of load_id order (a load_id high-water mark would skip a
-- slow load that started before a faster one).
CREATE TEMP TABLE pending_loads ON COMMIT DROP AS
SELECT l.load_id, l.rows_loaded
FROM staging.loads l
WHERE l.status = 'loaded'
  AND NOT EXISTS (SELECT 1 FROM production.transformed_loads t WHERE t.load_id = l.load_id);
