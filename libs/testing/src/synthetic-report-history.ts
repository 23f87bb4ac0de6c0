import type { Pool } from 'pg';

/**
 * A synthetic measurement history for plan tests and benches, generated inside Postgres
 * (generate_series): `deliveries` messages over `days` days for `customers` customers of one
 * trigger `<prefix>-bulk`, plus one holdout match per nine treated ones, variant exposures,
 * responses (a quarter opened, a twelfth clicked), goal events (every fifth match converts
 * two hours later) and two event names counted per minute.
 */
export async function loadSyntheticReportHistory(
  pool: Pool,
  o: { prefix: string; deliveries: number; customers: number; days: number; start: number },
): Promise<{ matches: number }> {
  const matches = Math.round(o.deliveries / 0.9);
  const span = o.days * 86_400;
  const params = [o.prefix, matches, o.customers, new Date(o.start), span];
  // Match i fires at start + i * span / matches; i % 10 = 0 is held out, the rest are sent.
  const series = `FROM generate_series(1, $2::int) AS i,
    LATERAL (SELECT $4::timestamptz + (i * ($5::float8 / $2::int)) * interval '1 second' AS t) AS ts`;
  await pool.query(
    `INSERT INTO attribution_log (match_id, customer_id, trigger_id, trigger_version, kind, channel, variant, delivery_id, at)
     SELECT $1 || '-m' || i, $1 || '-c' || (i % $3::int), $1 || '-bulk', 1, k.kind, k.channel, k.variant, k.delivery_id, k.at
     ${series},
     LATERAL (VALUES
       ('fired', '', NULL, NULL, ts.t),
       (CASE WHEN i % 10 = 0 THEN 'holdout' ELSE 'exposure' END, '',
        CASE WHEN i % 10 = 0 THEN NULL WHEN i % 2 = 0 THEN 'now' ELSE 'later' END, NULL, ts.t),
       (CASE WHEN i % 10 = 0 THEN NULL ELSE 'delivered' END,
        (ARRAY['email', 'sms', 'push'])[1 + i % 3], CASE WHEN i % 2 = 0 THEN 'now' ELSE 'later' END,
        $1 || '-d' || i, ts.t + interval '1 minute')
     ) AS k(kind, channel, variant, delivery_id, at)
     WHERE k.kind IS NOT NULL`,
    params,
  );
  await pool.query(
    `INSERT INTO responses (delivery_id, type, at, match_id, customer_id, trigger_id, channel, variant, source)
     SELECT $1 || '-d' || i, r.type, ts.t + interval '1 hour', $1 || '-m' || i, $1 || '-c' || (i % $3::int), $1 || '-bulk',
            (ARRAY['email', 'sms', 'push'])[1 + i % 3], CASE WHEN i % 2 = 0 THEN 'now' ELSE 'later' END, 'provider'
     ${series},
     LATERAL (VALUES ('opened', i % 4 = 0), ('clicked', i % 12 = 0)) AS r(type, keep)
     WHERE i % 10 <> 0 AND r.keep`,
    params,
  );
  await pool.query(
    `INSERT INTO journey_events (customer_id, event_id, name, occurred_at, received_at, workflow_id, properties)
     SELECT $1 || '-c' || (i % $3::int), $1 || '-o' || i, 'order.completed', ts.t + interval '2 hours', ts.t + interval '2 hours',
            'customer:' || $1 || '-c' || (i % $3::int), jsonb_build_object('total', i % 200)
     ${series}
     WHERE i % 5 = 0`,
    params,
  );
  await pool.query(
    `INSERT INTO event_volume (name, minute, status, count)
     SELECT $1 || '.' || n, $2::timestamptz + m * interval '1 minute', 'accepted', 1 + (m * 7) % 13
     FROM generate_series(0, $3::int - 1) AS m, unnest(ARRAY['viewed', 'ordered']) AS n
     ON CONFLICT DO NOTHING`,
    [o.prefix, new Date(o.start), o.days * 1440],
  );
  for (const table of ['attribution_log', 'responses', 'journey_events', 'event_volume'])
    await pool.query(`VACUUM ANALYZE ${table}`);
  return { matches };
}
