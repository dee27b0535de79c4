-- Issue 11: every announced object leaves a row in staging.loads, also when nothing was loaded from it.
--   skipped    the announcement was not for a loadable object (a folder marker, an event other than ObjectCreated)
--   not_found  the announced object could not be read (deleted since, or announced under a key that does not exist)
-- The column that says why now holds a reason for each of these as well as for a failed load.
ALTER TABLE staging.loads DROP CONSTRAINT loads_status_check;
ALTER TABLE staging.loads ADD CONSTRAINT loads_status_check
    CHECK (status IN ('loading', 'loaded', 'failed', 'skipped', 'not_found'));
ALTER TABLE staging.loads RENAME COLUMN error TO reason;

-- What an operator lists first: the loads that did not load, newest first.
CREATE INDEX loads_status_started_idx ON staging.loads (status, started_at DESC);
