-- Up Migration
-- Backtests (docs/api.md §11): the request with its resolved definitions, state, progress and the
-- running tally. `checkpoint` is the last customer whose events are counted in `results`, saved in
-- the same statement, so a run resumed after a restart counts nothing twice.
CREATE TABLE backtests (
  id           text        PRIMARY KEY,
  state        text        NOT NULL DEFAULT 'queued'
               CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  request      jsonb       NOT NULL,
  spec         jsonb       NOT NULL,
  progress     jsonb       NOT NULL DEFAULT '{"customersDone":0,"customersTotal":null,"eventsDone":0}',
  results      jsonb,
  checkpoint   text,
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz
);
CREATE INDEX backtests_created_idx ON backtests (created_at DESC);

-- A backtest reads every customer's events of a range in (customer, received time, id) order:
-- journey_events_customer_received_idx (migration 1733400000000) serves it.

-- Down Migration
DROP TABLE backtests;
