-- Up Migration
-- matchId is unique per customer only (event ids are producer ids per customer), so the
-- attribution log's idempotency key must include the customer: two customers reusing an event
-- id must never swallow each other's records. (Delivery and escalation ids now hash the customer.)
ALTER TABLE attribution_log DROP CONSTRAINT attribution_log_match_id_kind_channel_key;
ALTER TABLE attribution_log ADD CONSTRAINT attribution_log_customer_match_kind_channel_key
  UNIQUE (customer_id, match_id, kind, channel);

-- Down Migration
ALTER TABLE attribution_log DROP CONSTRAINT attribution_log_customer_match_kind_channel_key;
ALTER TABLE attribution_log ADD CONSTRAINT attribution_log_match_id_kind_channel_key UNIQUE (match_id, kind, channel);
