-- Up Migration
-- Journey layer (apps/worker): deliveries, escalations and the attribution log.
-- Every row is keyed by something derived from matchId, so activity retries never double-write.

-- One row per message handed to a channel; delivery_id = hash(matchId, channel).
CREATE TABLE outbox (
  delivery_id     text        PRIMARY KEY,
  match_id        text        NOT NULL,
  customer_id     text        NOT NULL,
  trigger_id      text        NOT NULL,
  trigger_version integer     NOT NULL,
  channel         text        NOT NULL,
  template_id     text        NOT NULL,
  variant         text,
  recipient       text,
  subject         text,
  body            text        NOT NULL,
  transport       text        NOT NULL,   -- outbox | smtp | http
  transport_ref   text,                   -- SMTP message id or provider status
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_customer_idx ON outbox (customer_id, created_at);
CREATE INDEX outbox_match_idx ON outbox (match_id);

-- Escalations to a human; the gateway lists them and signals the journey on ack.
CREATE TABLE escalations (
  id              text        PRIMARY KEY,          -- hash(matchId, level)
  match_id        text        NOT NULL,
  customer_id     text        NOT NULL,
  workflow_id     text        NOT NULL,
  trigger_id      text        NOT NULL,
  level           integer     NOT NULL,             -- 1 = escalate.to, 2 = escalate.then
  target          text        NOT NULL,
  sla_deadline    timestamptz NOT NULL,
  status          text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acked', 'expired')),
  acked_by        text,
  outcome         text,
  acked_at        timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalations_status_idx ON escalations (status, created_at);

-- Attribution: every fire, suppression (with reason), exposure, delivery, cancellation, exit
-- and conversion. Unique per (match, kind, channel) so a retried activity writes once.
CREATE TABLE attribution_log (
  id              bigserial   PRIMARY KEY,
  match_id        text        NOT NULL,
  customer_id     text        NOT NULL,
  trigger_id      text        NOT NULL,
  trigger_version integer     NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('fired', 'suppressed', 'exposure', 'holdout', 'deferred', 'delivered', 'failed', 'cancelled', 'exit', 'escalated', 'conversion', 'engaged')),
  channel         text        NOT NULL DEFAULT '',
  reason          text,
  variant         text,
  delivery_id     text,
  value           double precision,
  at              timestamptz NOT NULL,
  details         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (match_id, kind, channel)
);
CREATE INDEX attribution_trigger_at_idx ON attribution_log (trigger_id, at);
CREATE INDEX attribution_customer_idx ON attribution_log (customer_id, at);

-- Down Migration
DROP TABLE attribution_log;
DROP TABLE escalations;
DROP TABLE outbox;
