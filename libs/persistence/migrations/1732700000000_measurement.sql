-- Up Migration
-- Measurement (apps/gateway reports): responses to deliveries, event properties for conversion
-- values, and the indexes the report queries use (each named in reports.int-spec.ts).

-- Provider callbacks and tracking links: one row per (delivery, type, time), so a retried
-- callback or a reloaded pixel at the same instant writes once. The delivery's match, trigger,
-- channel and variant are copied from `outbox` so reports never join the outbox.
CREATE TABLE responses (
  delivery_id  text        NOT NULL,
  type         text        NOT NULL CHECK (type IN ('delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed')),
  at           timestamptz NOT NULL,
  match_id     text        NOT NULL,
  customer_id  text        NOT NULL,
  trigger_id   text        NOT NULL,
  channel      text        NOT NULL,
  variant      text,
  source       text        NOT NULL CHECK (source IN ('provider', 'pixel', 'link')),
  url          text,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (delivery_id, type, at)
);
CREATE INDEX responses_trigger_at_idx ON responses (trigger_id, at);

-- Conversion values are read from the goal event's properties (valuePath) at report time.
-- Nullable: rows written before this migration have none.
ALTER TABLE journey_events ADD COLUMN properties jsonb;
-- Conversion lookup: a customer's goal events after a touch, within the goal's window.
CREATE INDEX journey_events_customer_name_at_idx ON journey_events (customer_id, name, occurred_at);

-- Report scans of the attribution log by kind and time (deliveries, fires, exposures), covering
-- the columns the reports group by so the scan is index-only on a vacuumed table.
CREATE INDEX attribution_kind_at_idx ON attribution_log (kind, at)
  INCLUDE (trigger_id, channel, variant, delivery_id, customer_id, match_id);

-- Down Migration
DROP INDEX attribution_kind_at_idx;
DROP INDEX journey_events_customer_name_at_idx;
ALTER TABLE journey_events DROP COLUMN properties;
DROP TABLE responses;
