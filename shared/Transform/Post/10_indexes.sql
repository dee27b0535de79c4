-- Training reads production by label (class balance, stratified splits).
CREATE INDEX IF NOT EXISTS comments_labels_idx ON production.comments (labels);
