-- Issue 12, part 6: the feedback loop. A correction sent to POST /api/feedback is written to source.comments with
-- feedback = true (a new row, or the corrected row when its id is given). The flag is an ordinary column, so change
-- data capture carries it with the row (the relay and Debezium write every column): staging.stream_comments and
-- production.comments keep it, a snapshot marks its feedback rows, and each run records how many it trained on.
-- Batch rows and rows the application wrote are false. Events written before this column existed carry no flag:
-- the consumer reads them as false.
ALTER TABLE source.comments ADD COLUMN feedback boolean NOT NULL DEFAULT false;
ALTER TABLE staging.stream_comments ADD COLUMN feedback boolean NOT NULL DEFAULT false;
ALTER TABLE production.comments ADD COLUMN feedback boolean NOT NULL DEFAULT false;

-- Rows of the run's snapshot with feedback = true; null for runs recorded before this column.
ALTER TABLE ml.runs ADD COLUMN feedback_rows integer CHECK (feedback_rows >= 0);
