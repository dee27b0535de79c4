-- The production table of clean comments that the transform (shared/Transform/Models) keeps up to date from both
-- staging sources. One row per comment: comment_id is staging.comments.id for batch rows and the source comment's id
-- (staging.stream_comments.source_id) for stream rows; origin says which. Provenance columns are those of the origin:
-- (load_id, line_number) for batch rows, source_lsn for stream rows.
-- Value rules (labels in {0, 1}, well-formed token arrays) are the transform's filter and the production tests' job
-- (shared/Quality/suites/production.json); the declared contract (shared/Transform/contract.json) fixes the shape.
CREATE TABLE production.comments (
    comment_id     uuid        NOT NULL,
    origin         text        NOT NULL,
    comment_text   text        COMPRESSION lz4 NOT NULL,
    labels         smallint    NOT NULL,
    input_ids      integer[]   COMPRESSION lz4 NOT NULL,
    load_id        bigint,
    line_number    bigint,
    source_lsn     pg_lsn,
    ingested_at    timestamptz NOT NULL,
    transformed_at timestamptz NOT NULL,
    CONSTRAINT comments_pkey PRIMARY KEY (comment_id),
    CONSTRAINT comments_origin_check CHECK (origin IN ('batch', 'stream')),
    CONSTRAINT comments_provenance_check CHECK (
        (origin = 'batch' AND load_id IS NOT NULL AND line_number IS NOT NULL AND source_lsn IS NULL)
        OR (origin = 'stream' AND source_lsn IS NOT NULL AND load_id IS NULL AND line_number IS NULL))
) WITH (toast_tuple_target = 8160);

-- Batch loads the transform has taken (whatever it admitted from them). A load is complete and immutable once
-- staging.loads.status = 'loaded', so "loaded and not listed here" is exactly the batch work left, even when loads
-- finish out of load_id order.
CREATE TABLE production.transformed_loads (
    load_id        bigint      PRIMARY KEY,
    rows_staged    bigint      NOT NULL,
    transformed_at timestamptz NOT NULL
);

-- One row per committed transform run: what each model did, and the production tests' results.
CREATE TABLE production.transform_runs (
    run_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    models        jsonb       NOT NULL,
    tests         jsonb       NOT NULL,
    rows_total    bigint      NOT NULL
);

-- What the transform admits to production: a text, a label in {0, 1} and a well-formed token array ([CLS] = 101 first,
-- [SEP] = 102 last, 2..512 ids, one dimension, no NULL ids). A SQL function so that every model uses one rule; it is
-- inlined into the models' queries.
CREATE FUNCTION production.is_clean_comment(comment_text text, labels smallint, input_ids integer[])
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN comment_text IS NOT NULL
    AND labels IN (0, 1)
    AND array_ndims(input_ids) = 1
    AND cardinality(input_ids) BETWEEN 2 AND 512
    AND input_ids[array_lower(input_ids, 1)] = 101
    AND input_ids[array_upper(input_ids, 1)] = 102
    AND array_position(input_ids, NULL) IS NULL;
