-- Change data capture: the source table publishes its changes; the stream consumer keeps the latest state of every
-- source comment in staging.stream_comments.

-- Deletes carry the whole old row, so consumers see what was deleted.
ALTER TABLE source.comments REPLICA IDENTITY FULL;
CREATE PUBLICATION toxic_source_comments FOR TABLE source.comments;

-- One row per source comment: its latest state, tokenized. source_lsn is the WAL position of the change that wrote
-- the row; an event at an older position never overwrites it. A delete keeps the row as a tombstone (deleted = true,
-- with the position of the delete) so that a late, older event cannot bring the comment back.
CREATE TABLE staging.stream_comments (
    source_id    uuid        PRIMARY KEY,
    comment_text text        COMPRESSION lz4,
    labels       smallint,
    input_ids    integer[]   COMPRESSION lz4,
    deleted      boolean     NOT NULL DEFAULT false,
    source_lsn   pg_lsn      NOT NULL,
    source_ts    timestamptz NOT NULL,
    op           char(1)     NOT NULL CHECK (op IN ('c', 'u', 'd', 'r')),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stream_comments_live_has_values
        CHECK (deleted OR (comment_text IS NOT NULL AND labels IS NOT NULL AND input_ids IS NOT NULL))
);

-- Events the consumer could not apply, kept whole for inspection and replay.
CREATE TABLE staging.stream_dead_letters (
    dead_letter_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    "offset"       bigint      NOT NULL,
    message_key    text,
    payload        text,
    error          text        NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stream_dead_letters_position_key UNIQUE (topic, partition, "offset")
);

-- The CDC relay's own state: whether the initial snapshot of its slot reached Kafka completely. A slot without a
-- completed snapshot is dropped and taken again, so a crash mid-snapshot cannot lose rows.
CREATE TABLE staging.cdc_relays (
    slot_name             text        PRIMARY KEY,
    snapshot_lsn          pg_lsn      NOT NULL,
    snapshot_rows         bigint      NOT NULL,
    snapshot_completed_at timestamptz NOT NULL DEFAULT now()
);
