-- Up Migration
-- Broadcasts (docs/api.md "Broadcasts"): one external event fanned out to an audience by one
-- Temporal workflow, which keeps its progress here so a retry resumes after the last customer.

CREATE TABLE broadcasts (
  broadcast_id      text        PRIMARY KEY,
  name              text        NOT NULL,
  properties        jsonb       NOT NULL,
  -- 'where': customers whose profile satisfies audience_where (a profile predicate) and, when
  -- active_within_ms is set, with an event received within it before created_at;
  -- 'customers': the ids of broadcast_customers.
  audience_kind     text        NOT NULL CHECK (audience_kind IN ('where', 'customers')),
  audience_where    jsonb,
  active_within_ms  bigint,
  rate_per_second   integer     NOT NULL,
  start_journeys    boolean     NOT NULL,
  -- SHA-256 of the request: a repeated POST with the same id is the same broadcast only if equal.
  request_hash      text        NOT NULL,
  created_by        text,
  state             text        NOT NULL DEFAULT 'running'
                                CHECK (state IN ('running', 'completed', 'cancelled')),
  -- The last customer id handed on (keyset order); the next page starts after it.
  after_customer    text,
  matched           bigint      NOT NULL DEFAULT 0,
  delivered         bigint      NOT NULL DEFAULT 0,
  skipped           bigint      NOT NULL DEFAULT 0,
  failed            bigint      NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  cancel_requested_at timestamptz,
  finished_at       timestamptz
);

-- The listed audience of a broadcast `{ "customers": [ids] }`, read in customer id order.
CREATE TABLE broadcast_customers (
  broadcast_id  text NOT NULL REFERENCES broadcasts (broadcast_id) ON DELETE CASCADE,
  customer_id   text NOT NULL,
  PRIMARY KEY (broadcast_id, customer_id)
);

-- Audience predicates: equality and `in` on profile fields and attributes compile to jsonb
-- containment (@>), which this index answers; other comparisons filter the pages it finds.
CREATE INDEX customers_profile_path_idx ON customers USING gin (profile jsonb_path_ops);
-- A customer's events in journey order (received time, then id): `activeWithin` (the last event
-- time, one probe per customer) and backtests (every customer's events of a range, in order).
-- One index for both: each index on journey_events is one more write per accepted event.
CREATE INDEX journey_events_customer_received_idx ON journey_events (customer_id, received_at, event_id);

-- Down Migration
DROP INDEX journey_events_customer_received_idx;
DROP INDEX customers_profile_path_idx;
DROP TABLE broadcast_customers;
DROP TABLE broadcasts;
