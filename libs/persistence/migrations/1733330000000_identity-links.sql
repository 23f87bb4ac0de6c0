-- Up Migration
-- Anonymous visitors linked to the known customer they turned out to be (Segment identify, track
-- with both ids, or alias). The first link of an anonymous id wins; `completed_at` is set once its
-- events were handed to the known journey and the anonymous journey ended, so a repeated identify
-- does nothing.
CREATE TABLE identity_links (
  anonymous_id  text        PRIMARY KEY,
  customer_id   text        NOT NULL,
  linked_at     timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);
CREATE INDEX identity_links_customer_idx ON identity_links (customer_id);

-- The anonymous customer a merged event was first recorded under: a retried merge finds the
-- events it must hand to the known journey again.
ALTER TABLE journey_events ADD COLUMN merged_from text;
CREATE INDEX journey_events_merged_from_idx ON journey_events (customer_id, merged_from, occurred_at)
  WHERE merged_from IS NOT NULL;

-- Down Migration
DROP INDEX journey_events_merged_from_idx;
ALTER TABLE journey_events DROP COLUMN merged_from;
DROP TABLE identity_links;
