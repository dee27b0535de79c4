-- Schemas of the pipeline: the application's own table (watched by change data capture), the staging area
-- that ingestion loads, the cleaned production data, and the ML bookkeeping.
CREATE SCHEMA IF NOT EXISTS source;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS production;
CREATE SCHEMA IF NOT EXISTS ml;

-- The application's comments: what users write, and what change data capture streams to staging.
CREATE TABLE source.comments (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    comment_text text        NOT NULL,
    labels       smallint    NOT NULL CHECK (labels IN (0, 1)),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per object version that batch ingestion has taken. The unique key makes a redelivered object
-- version a no-op: a second delivery waits on the first's transaction, then finds its row.
CREATE TABLE staging.loads (
    load_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store          text        NOT NULL CHECK (store IN ('s3', 'blob', 'file')),
    container      text        NOT NULL,
    object_key     text        NOT NULL,
    object_version text        NOT NULL,
    size_bytes     bigint,
    status         text        NOT NULL CHECK (status IN ('loading', 'loaded', 'failed')),
    rows_loaded    bigint      NOT NULL DEFAULT 0,
    rows_rejected  bigint      NOT NULL DEFAULT 0,
    error          text,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    CONSTRAINT loads_object_version_key UNIQUE (store, container, object_key, object_version)
);

-- Tokenized comments from batch files. Token ids stay typed (int[]). The key (load_id, line_number) traces every
-- row to its object version and line. id is a UUIDv7 made by the loader, unique by construction; it has no index
-- of its own, because each btree costs bulk loads about a fifth of their speed. There is deliberately no foreign
-- key to loads either: the load row is written in the same transaction, and a per-row trigger would slow binary
-- COPY for no added safety. Rows stay inline up to a page (toast_tuple_target) and long values use lz4: with the
-- defaults PostgreSQL spent more time compressing token arrays (pglz) than parsing them.
CREATE TABLE staging.comments (
    load_id      bigint      NOT NULL,
    line_number  bigint      NOT NULL,
    id           uuid        NOT NULL,
    comment_text text        COMPRESSION lz4 NOT NULL,
    labels       smallint    NOT NULL,
    input_ids    integer[]   COMPRESSION lz4 NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comments_pkey PRIMARY KEY (load_id, line_number)
) WITH (toast_tuple_target = 8160);

-- Records that could not be loaded, with their line and the reason.
CREATE TABLE staging.rejected_records (
    load_id     bigint      NOT NULL REFERENCES staging.loads (load_id),
    line_number bigint      NOT NULL,
    reason      text        NOT NULL,
    raw_text    text        NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (load_id, line_number)
);
