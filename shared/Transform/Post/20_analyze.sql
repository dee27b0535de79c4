-- Fresh statistics for the planner after the run's changes.
ANALYZE production.comments;
