-- Training pipeline bookkeeping (what DVC and MLflow did): dataset snapshots, experiments and runs, model versions
-- and their aliases. Files (snapshot data and manifests, model directories) live in the object store; these rows
-- point at them.

-- A content-addressed training set extracted from production: sha256 of the data file is its identity, so the same
-- data is recorded (and written) once.
CREATE TABLE ml.snapshots (
    sha256       text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    data_uri     text        NOT NULL,
    manifest_uri text        NOT NULL,
    row_count    integer     NOT NULL,
    manifest     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ml.experiments (
    experiment_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- One training run: its parameters, metrics (by split: training, holdout, test), tags, the snapshot it was trained on
-- and the code that trained it.
CREATE TABLE ml.runs (
    run_id               uuid        PRIMARY KEY,
    experiment_id        bigint      NOT NULL REFERENCES ml.experiments (experiment_id),
    pipeline_instance_id text,
    status               text        NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
    params               jsonb       NOT NULL DEFAULT '{}',
    metrics              jsonb       NOT NULL DEFAULT '{}',
    tags                 jsonb       NOT NULL DEFAULT '{}',
    snapshot_sha256      text        NOT NULL REFERENCES ml.snapshots (sha256),
    code_version         text        NOT NULL,
    artifact_uri         text,
    error                text,
    started_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz,
    duration             interval    GENERATED ALWAYS AS (finished_at - started_at) STORED
);
CREATE INDEX runs_experiment_started ON ml.runs (experiment_id, started_at DESC);

-- Registered model versions: numbered per model name, one per run.
CREATE TABLE ml.model_versions (
    model_name      text        NOT NULL,
    version         integer     NOT NULL CHECK (version > 0),
    run_id          uuid        NOT NULL UNIQUE REFERENCES ml.runs (run_id),
    snapshot_sha256 text        NOT NULL REFERENCES ml.snapshots (sha256),
    artifact_uri    text        NOT NULL,
    metrics         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, version)
);

-- Aliases point at one version each; every change is kept in alias_history (rollback reads it).
CREATE TABLE ml.model_aliases (
    model_name text        NOT NULL,
    alias      text        NOT NULL CHECK (alias IN ('champion', 'challenger')),
    version    integer     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, alias),
    FOREIGN KEY (model_name, version) REFERENCES ml.model_versions (model_name, version)
);

CREATE TABLE ml.alias_history (
    change_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name       text        NOT NULL,
    alias            text        NOT NULL,
    version          integer     NOT NULL,
    previous_version integer,
    reason           text        NOT NULL,
    changed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alias_history_model_alias ON ml.alias_history (model_name, alias, change_id DESC);
