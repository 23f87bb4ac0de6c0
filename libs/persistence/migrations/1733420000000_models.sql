-- Up Migration
-- Predictive models (docs/models.md): every trained version with its card and coefficients, the
-- scores on the customer record, and how far the between-training scoring has read.

-- One row per trained version; at most one `current` per model. Versions worse on the holdout
-- than the current one are kept as `rejected`, so GET /v1/models shows every card.
CREATE TABLE model_versions (
  model_id            text        NOT NULL,
  version             integer     NOT NULL,
  definition_version  integer     NOT NULL,
  status              text        NOT NULL CHECK (status IN ('current', 'retired', 'rejected')),
  trained_at          timestamptz NOT NULL DEFAULT now(),
  card                jsonb       NOT NULL,
  artifact            jsonb       NOT NULL,
  PRIMARY KEY (model_id, version)
);
CREATE UNIQUE INDEX model_versions_current_idx ON model_versions (model_id) WHERE status = 'current';

-- scores.<model> = { value, at, version }: beside the profile, not in it, so a PUT of the
-- profile never erases a score and scoring never rewrites a profile.
ALTER TABLE customers ADD COLUMN scores jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Between trainings, customers with events received after `scored_until` are scored again.
CREATE TABLE model_scoring_marks (
  model_id      text        PRIMARY KEY,
  scored_until  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE model_scoring_marks;
ALTER TABLE customers DROP COLUMN scores;
DROP TABLE model_versions;
