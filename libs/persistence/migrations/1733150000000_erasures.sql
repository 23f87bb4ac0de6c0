-- Up Migration
-- Customer erasures (DELETE /v1/customers/{id}): when, by which API key, and how much was removed.
-- The customer id itself is not kept (that would defeat the erasure): only its SHA-256, so an
-- auditor holding the id can still find the record, and nobody can read the id back from it.
CREATE TABLE erasures (
  id             bigserial   PRIMARY KEY,
  customer_hash  text        NOT NULL,   -- hex SHA-256 of the customer id
  key_id         text        NOT NULL,   -- api_keys.id of the caller
  key_name       text        NOT NULL,
  erased_at      timestamptz NOT NULL DEFAULT now(),
  summary        jsonb       NOT NULL    -- rows per table, files, workflow runs removed
);
CREATE INDEX erasures_customer_hash_idx ON erasures (customer_hash, erased_at);

-- Down Migration
DROP TABLE erasures;
