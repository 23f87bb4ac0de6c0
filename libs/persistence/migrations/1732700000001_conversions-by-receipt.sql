-- Up Migration
-- Conversions are matched on the journey's clock (received_at), like every other window of the
-- journey: a delivery's `at` is workflow time, and a goal event counts when it reaches the
-- journey after it. (occurred_at is the producer's clock: backfilled events would land before.)
DROP INDEX journey_events_customer_name_at_idx;
CREATE INDEX journey_events_customer_name_received_idx ON journey_events (customer_id, name, received_at);

-- Down Migration
DROP INDEX journey_events_customer_name_received_idx;
CREATE INDEX journey_events_customer_name_at_idx ON journey_events (customer_id, name, occurred_at);
