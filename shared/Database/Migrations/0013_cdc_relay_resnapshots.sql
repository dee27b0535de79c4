-- Re-snapshots of the CDC relay (gap repair): `toxic cdc-relay --resnapshot` drops the relay's slot and its
-- staging.cdc_relays row and asks here that the slot's next snapshot start with a truncate event per captured table,
-- at the snapshot's consistent point. A consumer that lost events (retention deleted them before they were consumed)
-- then drops rows whose deletes it never saw, and the snapshot's rows bring back every row that exists. The relay asks
-- for itself when its slot vanished after a completed snapshot. The row goes when that snapshot is in Kafka (in the
-- transaction that records it in staging.cdc_relays), so a snapshot interrupted and taken again still repairs.
CREATE TABLE staging.cdc_relay_resnapshots (
    slot_name    text        PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now(),
    reason       text        NOT NULL
);
