-- Encoder features kept per comment (what the training step would otherwise recompute every run): the pooled
-- encoder states of a comment text under one encoder configuration. Content-addressed by the text's SHA-256, so a
-- comment seen in staging, production or several snapshots is encoded once; another encoder configuration is
-- another key.
CREATE TABLE ml.comment_encodings (
    encoder     text        NOT NULL,
    text_sha256 bytea       NOT NULL CHECK (octet_length(text_sha256) = 32),
    features    real[]      NOT NULL CHECK (array_ndims(features) = 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (encoder, text_sha256)
);
