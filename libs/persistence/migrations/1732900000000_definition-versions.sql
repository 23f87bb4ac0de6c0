-- Up Migration
-- Every trigger definition set a worker has run journeys on, by content hash. Workers bundle all
-- of them into their workflow code, so a journey carries only the hash of its version, and a
-- worker restarted with new files still runs journeys mid-match (and replays) on the old ones.
CREATE TABLE definition_versions (
  hash        text        PRIMARY KEY,
  body        jsonb       NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE definition_versions;
