-- Up Migration
-- Limits shared by every gateway instance (rate-limiter-flexible's RateLimiterPostgres layout):
-- one row per limited bucket and 60 s window, `expire` in epoch ms. Keys never hold a customer
-- id (customers are keyed by a hash of it), so an erasure has nothing to remove here.
CREATE TABLE rate_limits (
  key     text    PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);

-- The definitions hash each running worker loaded, refreshed while it runs: the gateway compares
-- its own with the live ones (seen recently) of its namespace and task queue.
CREATE TABLE worker_heartbeats (
  worker_id         text        PRIMARY KEY,
  namespace         text        NOT NULL,
  task_queue        text        NOT NULL,
  definitions_hash  text        NOT NULL,
  started_at        timestamptz NOT NULL DEFAULT now(),
  seen_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX worker_heartbeats_queue_seen_idx ON worker_heartbeats (namespace, task_queue, seen_at);

-- Down Migration
DROP TABLE worker_heartbeats;
DROP TABLE rate_limits;
