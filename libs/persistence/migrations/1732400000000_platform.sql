-- Up Migration
-- Every event a journey has taken in, written by the worker's recordEvent activity.
CREATE TABLE journey_events (
  customer_id  text        NOT NULL,
  event_id     text        NOT NULL,
  name         text        NOT NULL,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  workflow_id  text        NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, event_id)
);
CREATE INDEX journey_events_name_received_idx ON journey_events (name, received_at);

-- API keys: only a SHA-256 hash of the secret is stored.
CREATE TABLE api_keys (
  id          text        PRIMARY KEY,
  name        text        NOT NULL,
  key_hash    text        NOT NULL UNIQUE,
  scopes      text[]      NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Down Migration
DROP TABLE api_keys;
DROP TABLE journey_events;
