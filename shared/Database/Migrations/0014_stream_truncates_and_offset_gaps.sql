-- Issue 10: truncates, consumer positions and offset gaps of the change stream.

-- A row a TRUNCATE of the source table removed is a tombstone with op 't' and the truncate's position.
ALTER TABLE staging.stream_comments DROP CONSTRAINT stream_comments_op_check;
ALTER TABLE staging.stream_comments ADD CONSTRAINT stream_comments_op_check CHECK (op IN ('c', 'u', 'd', 'r', 't'));

-- Every truncate event the consumer applied. A change positioned before the latest truncate belongs to rows the
-- truncate removed: it is not applied, even when it arrives after the truncate (another partition, a replay).
CREATE TABLE staging.stream_truncates (
    source_commit_lsn pg_lsn      NOT NULL,
    source_lsn        pg_lsn      NOT NULL,
    source_ts         timestamptz NOT NULL,
    topic             text        NOT NULL,
    partition         integer     NOT NULL,
    "offset"          bigint      NOT NULL,
    rows_truncated    bigint      NOT NULL,
    applied_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_commit_lsn, source_lsn)
);

-- The next offset the stream consumer expects on each partition: where its last applied batch ended.
CREATE TABLE staging.stream_partition_offsets (
    consumer_group text        NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    next_offset    bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

-- Offsets the consumer expected but the broker no longer held when it got there (retention deleted them before they
-- were consumed; the consumer's offset reset skipped them): events that never reached staging. Each is an incident;
-- the README says how to repair (a re-snapshot through the relay).
CREATE TABLE staging.stream_offset_gaps (
    gap_id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer_group   text        NOT NULL,
    topic            text        NOT NULL,
    partition        integer     NOT NULL,
    expected_offset  bigint      NOT NULL,
    resumed_offset   bigint      NOT NULL,
    missing_events   bigint      GENERATED ALWAYS AS (resumed_offset - expected_offset) STORED,
    log_start_offset bigint,
    detected_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stream_offset_gaps_position_key UNIQUE (consumer_group, topic, partition, expected_offset)
);
