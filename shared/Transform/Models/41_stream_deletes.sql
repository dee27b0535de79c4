-- depends_on: stream_changes
-- Deleted source comments (tombstones), and comments whose latest state is no longer clean, leave production.
DELETE FROM production.comments p
USING stream_changes s
WHERE p.comment_id = s.source_id
  AND p.origin = 'stream'
  AND s.in_production
  AND NOT s.keep;
