-- Up Migration
-- Opens and clicks count once per delivery: the first one is stored (and signalled to the
-- journey); a reloaded pixel, a second click or a provider reporting each open again is a
-- duplicate. The index makes that hold between concurrent requests and gateway instances.
DELETE FROM responses r
  USING responses earlier
  WHERE r.type IN ('opened', 'clicked')
    AND earlier.delivery_id = r.delivery_id AND earlier.type = r.type AND earlier.at < r.at;
CREATE UNIQUE INDEX responses_first_engagement_idx ON responses (delivery_id, type)
  WHERE type IN ('opened', 'clicked');

-- Down Migration
DROP INDEX responses_first_engagement_idx;
