-- Up Migration
-- Gateway (apps/gateway): customer profiles and per-minute event volume.

-- One profile per customer, written by PUT /v1/customers/{id}; the worker reads it at decision
-- time (CustomersReadRepository merges the `profile` object into the record).
CREATE TABLE customers (
  customer_id  text        PRIMARY KEY,
  profile      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Events seen by the gateway per name, minute and outcome (accepted | duplicate | ignored),
-- for volume reports. Counted in memory and flushed with an additive upsert.
CREATE TABLE event_volume (
  name    text        NOT NULL,
  minute  timestamptz NOT NULL,
  status  text        NOT NULL CHECK (status IN ('accepted', 'duplicate', 'ignored')),
  count   bigint      NOT NULL,
  PRIMARY KEY (name, minute, status)
);
CREATE INDEX event_volume_minute_idx ON event_volume (minute);

-- Down Migration
DROP TABLE event_volume;
DROP TABLE customers;
