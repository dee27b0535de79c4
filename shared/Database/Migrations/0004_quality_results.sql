-- Data-quality validation runs and their results (what Great Expectations keeps as validation results). A run is
-- 'running' until its results are stored; 'error' when the suite could not be evaluated (the error says why).
CREATE TABLE ml.validation_runs (
    run_id           uuid        PRIMARY KEY,
    suite_name       text        NOT NULL,
    suite_sha256     text        NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    status           text        NOT NULL CHECK (status IN ('running', 'passed', 'warned', 'failed', 'error')),
    expectations     integer     NOT NULL DEFAULT 0,
    failed_errors    integer     NOT NULL DEFAULT 0,
    failed_warnings  integer     NOT NULL DEFAULT 0,
    report_json_uri  text,
    report_html_uri  text,
    error            text
);

CREATE INDEX validation_runs_started_idx ON ml.validation_runs (started_at DESC);

-- One row per expectation of a run: its definition, the observed value, pass or fail, and a few failing keys.
CREATE TABLE ml.validation_results (
    run_id           uuid        NOT NULL REFERENCES ml.validation_runs (run_id) ON DELETE CASCADE,
    ordinal          integer     NOT NULL,
    expectation_id   text        NOT NULL,
    expectation_type text        NOT NULL,
    severity         text        NOT NULL CHECK (severity IN ('error', 'warn')),
    table_name       text        NOT NULL,
    column_name      text,
    definition       jsonb       NOT NULL,
    passed           boolean     NOT NULL,
    observed_value   double precision,
    failing_count    bigint,
    rows_checked     bigint,
    sample_keys      text[]      NOT NULL DEFAULT '{}',
    detail           text        NOT NULL,
    PRIMARY KEY (run_id, expectation_id)
);
