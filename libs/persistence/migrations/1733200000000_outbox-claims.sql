-- Up Migration
-- A send claims its outbox row before the transport is called, so a retry after a crash knows a
-- message may have left and does not send it again where the provider cannot deduplicate.
--   sending    claimed: rendered and stored, the transport called (or about to be); no outcome yet
--   sent       the transport (or the local outbox) took the message
--   uncertain  SMTP only: the attempt died or lost the server before its reply; not sent again
--   failed     the provider refused the message or was never reached: nothing left; a retry
--              claims the row again (attempts + 1)
-- Rows written before this migration were written after their send: they are `sent`.
ALTER TABLE outbox
  ADD COLUMN state        text        NOT NULL DEFAULT 'sent'
                          CHECK (state IN ('sending', 'sent', 'uncertain', 'failed')),
  ADD COLUMN html         boolean     NOT NULL DEFAULT false,
  ADD COLUMN attempts     integer     NOT NULL DEFAULT 1,
  ADD COLUMN claimed_at   timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN completed_at timestamptz,
  ADD COLUMN last_error   text;
UPDATE outbox SET claimed_at = created_at, completed_at = created_at;
-- Every write names its state from now on; the default was for the rows above.
ALTER TABLE outbox ALTER COLUMN state DROP DEFAULT;
-- Operators look for sends that need a human (uncertain) or never finished.
CREATE INDEX outbox_unsettled_idx ON outbox (state, claimed_at) WHERE state IN ('sending', 'uncertain');

-- Down Migration
DROP INDEX outbox_unsettled_idx;
ALTER TABLE outbox
  DROP COLUMN state,
  DROP COLUMN html,
  DROP COLUMN attempts,
  DROP COLUMN claimed_at,
  DROP COLUMN completed_at,
  DROP COLUMN last_error;
