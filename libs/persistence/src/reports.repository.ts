import type { Pool } from 'pg';

/** A trigger's conversion goal, as the report queries take it. */
export type ConversionGoal = {
  triggerId: string;
  /** Name of the goal event (the goal atom's `where` is not applied at report time). */
  eventName: string;
  windowMs: number;
  /** Path inside the event's properties of the conversion value (`properties.total` -> ['total']). */
  valuePath: string[] | null;
};

export type ReportRange = { from: Date; to: Date; triggerId?: string | null };

export type VolumeCell = { key: string; bucket: Date; count: number };

export type ResponseCell = {
  triggerId: string;
  channel: string;
  variant: string | null;
  deliveries: number;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
};

export type AttributionModel = 'last-touch' | 'first-touch' | 'linear';

export type AttributionCell = {
  triggerId: string;
  channel: string;
  variant: string | null;
  deliveries: number;
  /** Conversions credited to these deliveries (fractional under the linear model). */
  conversions: number;
  revenue: number;
};

/** One trigger's matches in the range, per experiment arm (`variant` null: no experiment; `holdout`). */
export type CohortCell = {
  triggerId: string;
  variant: string | null;
  holdout: boolean;
  matches: number;
  delivered: number;
  responded: number;
  converted: number;
  revenue: number;
};

const num = (v: unknown): number => Number(v ?? 0);

/** The goals as four parallel arrays (the queries unnest them into a relation). */
function goalParams(goals: readonly ConversionGoal[]): [string[], string[], number[], (string | null)[]] {
  return [
    goals.map((g) => g.triggerId),
    goals.map((g) => g.eventName),
    goals.map((g) => g.windowMs / 1000),
    // A Postgres text[] literal for `#>>`; keys are quoted so dots and commas cannot split them.
    goals.map((g) =>
      g.valuePath && g.valuePath.length > 0
        ? `{${g.valuePath.map((k) => `"${k.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`
        : null,
    ),
  ];
}

const GOALS_CTE = `goals AS (
  SELECT * FROM unnest($4::text[], $5::text[], $6::float8[], $7::text[]) AS g(trigger_id, event_name, window_s, value_path)
)`;

// A property value counts as money only when it is a plain JSON number (or numeric string).
const NUMERIC_VALUE = (expr: string) =>
  `CASE WHEN ${expr} ~ '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$' THEN (${expr})::float8 END`;

/**
 * The SQL of the measurement reports. Every query reads a time range of the attribution log
 * through `attribution_kind_at_idx` and reaches responses, goal events and sibling log rows by
 * index lookups, so its cost follows the rows in the range, not the size of the tables.
 */
export class ReportsRepository {
  constructor(private readonly pool: Pool) {}

  /** Text of the SQL of each report, for EXPLAIN in tests and benches. */
  static readonly sql = {
    triggerVolume: `SELECT trigger_id AS key, date_bin($3::interval, at, timestamptz 'epoch') AS bucket, count(*) AS count
      FROM attribution_log
      WHERE kind = 'fired' AND at >= $1 AND at < $2 AND ($4::text IS NULL OR trigger_id = $4)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    eventVolume: `SELECT name AS key, date_bin($3::interval, minute, timestamptz 'epoch') AS bucket, sum(count) AS count
      FROM event_volume
      WHERE minute >= $1 AND minute < $2 AND status <> 'duplicate'
      GROUP BY 1, 2 ORDER BY 1, 2`,
    responses: `SELECT d.trigger_id, d.channel, d.variant, count(*) AS deliveries,
        count(*) FILTER (WHERE r.delivered) AS delivered, count(*) FILTER (WHERE r.opened) AS opened,
        count(*) FILTER (WHERE r.clicked) AS clicked, count(*) FILTER (WHERE r.bounced) AS bounced,
        count(*) FILTER (WHERE r.complained) AS complained, count(*) FILTER (WHERE r.unsubscribed) AS unsubscribed
      FROM attribution_log d
      LEFT JOIN LATERAL (
        SELECT bool_or(x.type = 'delivered') AS delivered,
               -- A click implies an open (images are often blocked, so the pixel never loads).
               bool_or(x.type IN ('opened', 'clicked')) AS opened, bool_or(x.type = 'clicked') AS clicked,
               bool_or(x.type = 'bounced') AS bounced, bool_or(x.type = 'complained') AS complained,
               bool_or(x.type = 'unsubscribed') AS unsubscribed
        FROM responses x WHERE x.delivery_id = d.delivery_id
      ) r ON true
      WHERE d.kind = 'delivered' AND d.at >= $1 AND d.at < $2 AND ($3::text IS NULL OR d.trigger_id = $3)
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    attribution: `WITH ${GOALS_CTE},
      touches AS (
        SELECT a.trigger_id, a.channel, a.variant, a.delivery_id, a.customer_id, a.at,
               g.event_name, g.window_s, g.value_path
        -- Triggers without a goal keep their deliveries (ROI counts their cost), with no conversions.
        FROM attribution_log a LEFT JOIN goals g ON g.trigger_id = a.trigger_id
        WHERE a.kind = 'delivered' AND a.at >= $1 AND a.at < $2 AND ($3::text IS NULL OR a.trigger_id = $3)
      ),
      credited AS (
        SELECT t.delivery_id, ${NUMERIC_VALUE('je.properties #>> t.value_path::text[]')} AS value,
               CASE $8::text
                 WHEN 'first-touch' THEN (row_number() OVER w_first = 1)::int::float8
                 WHEN 'linear' THEN 1.0 / count(*) OVER w_all
                 ELSE (row_number() OVER w_last = 1)::int::float8
               END AS credit
        FROM touches t
        -- Per touch, an index lookup of its customer's goal events (OFFSET 0 keeps the planner from
        -- flattening this into a hash join that scans every goal event ever recorded).
        CROSS JOIN LATERAL (
          SELECT e.customer_id, e.event_id, e.properties FROM journey_events e
          WHERE e.customer_id = t.customer_id AND e.name = t.event_name
            AND e.received_at > t.at AND e.received_at <= t.at + make_interval(secs => t.window_s)
          OFFSET 0
        ) je
        WINDOW w_all AS (PARTITION BY je.customer_id, je.event_id),
               w_first AS (PARTITION BY je.customer_id, je.event_id ORDER BY t.at, t.delivery_id),
               w_last AS (PARTITION BY je.customer_id, je.event_id ORDER BY t.at DESC, t.delivery_id DESC)
      ),
      per_delivery AS (
        SELECT delivery_id, sum(credit) AS conversions, sum(credit * coalesce(value, 0)) AS revenue
        FROM credited GROUP BY delivery_id
      )
      SELECT t.trigger_id, t.channel, t.variant, count(*) AS deliveries,
             coalesce(sum(p.conversions), 0) AS conversions, coalesce(sum(p.revenue), 0) AS revenue
      FROM touches t LEFT JOIN per_delivery p ON p.delivery_id = t.delivery_id
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    cohorts: `WITH ${GOALS_CTE},
      m AS (
        SELECT f.match_id, f.trigger_id, f.customer_id, f.at, g.event_name, g.window_s, g.value_path,
               s.variant, coalesce(s.holdout, false) AS holdout,
               coalesce(s.delivered, false) AS delivered, coalesce(s.responded, false) AS responded
        FROM attribution_log f
        LEFT JOIN goals g ON g.trigger_id = f.trigger_id
        -- The match's other log rows, looked up by the (customer_id, match_id, kind, channel) key
        -- (a matchId is unique per customer only): an aggregate
        -- lateral is never flattened, so the cost follows the matches in the range rather than
        -- the size of the log (a join lets the planner hash the whole log for longer ranges).
        LEFT JOIN LATERAL (
          SELECT max(s.variant) FILTER (WHERE s.kind = 'exposure') AS variant,
                 bool_or(s.kind = 'holdout') AS holdout,
                 bool_or(s.kind = 'delivered') AS delivered,
                 bool_or(r.delivery_id IS NOT NULL) AS responded
          FROM attribution_log s
          LEFT JOIN LATERAL (
            SELECT x.delivery_id FROM responses x
            WHERE x.delivery_id = s.delivery_id AND x.type IN ('opened', 'clicked') LIMIT 1
          ) r ON true
          WHERE s.customer_id = f.customer_id AND s.match_id = f.match_id AND s.kind IN ('exposure', 'holdout', 'delivered')
        ) s ON true
        WHERE f.kind = 'fired' AND f.at >= $1 AND f.at < $2 AND ($3::text IS NULL OR f.trigger_id = $3)
      )
      SELECT m.trigger_id, m.variant, m.holdout, count(*) AS matches,
             count(*) FILTER (WHERE m.delivered) AS delivered, count(*) FILTER (WHERE m.responded) AS responded,
             count(*) FILTER (WHERE c.n > 0) AS converted, coalesce(sum(c.value), 0) AS revenue
      FROM m
      LEFT JOIN LATERAL (
        SELECT count(*) AS n, sum(${NUMERIC_VALUE('je.properties #>> m.value_path::text[]')}) AS value
        FROM journey_events je
        WHERE je.customer_id = m.customer_id AND je.name = m.event_name
          AND je.received_at > m.at AND je.received_at <= m.at + make_interval(secs => m.window_s)
      ) c ON true
      GROUP BY 1, 2, 3 ORDER BY 1, 2 NULLS FIRST, 3`,
  } as const;

  /** Parameters of a report query, in the order its SQL numbers them. */
  static params(
    name: keyof typeof ReportsRepository.sql,
    range: ReportRange,
    options: { bucketSeconds?: number; goals?: readonly ConversionGoal[]; model?: AttributionModel } = {},
  ): unknown[] {
    const trigger = range.triggerId ?? null;
    switch (name) {
      case 'triggerVolume':
        return [range.from, range.to, `${options.bucketSeconds ?? 3600} seconds`, trigger];
      case 'eventVolume':
        return [range.from, range.to, `${options.bucketSeconds ?? 3600} seconds`];
      case 'responses':
        return [range.from, range.to, trigger];
      case 'attribution':
        return [
          range.from,
          range.to,
          trigger,
          ...goalParams(options.goals ?? []),
          options.model ?? 'last-touch',
        ];
      case 'cohorts':
        return [range.from, range.to, trigger, ...goalParams(options.goals ?? [])];
    }
  }

  /** Matches fired per trigger and bucket in the range (bucket: seconds, aligned to the epoch). */
  async triggerVolume(range: ReportRange, bucketSeconds: number): Promise<VolumeCell[]> {
    const r = await this.pool.query<{ key: string; bucket: Date; count: string }>(
      ReportsRepository.sql.triggerVolume,
      ReportsRepository.params('triggerVolume', range, { bucketSeconds }),
    );
    return r.rows.map((x) => ({ key: x.key, bucket: x.bucket, count: num(x.count) }));
  }

  /** Events per name and bucket seen by the gateway (accepted and ignored; duplicates excluded). */
  async eventVolume(range: ReportRange, bucketSeconds: number): Promise<VolumeCell[]> {
    const r = await this.pool.query<{ key: string; bucket: Date; count: string }>(
      ReportsRepository.sql.eventVolume,
      ReportsRepository.params('eventVolume', range, { bucketSeconds }),
    );
    return r.rows.map((x) => ({ key: x.key, bucket: x.bucket, count: num(x.count) }));
  }

  /** Deliveries made in the range and how many of them got each kind of response. */
  async responses(range: ReportRange): Promise<ResponseCell[]> {
    const r = await this.pool.query<Record<string, string | null>>(
      ReportsRepository.sql.responses,
      ReportsRepository.params('responses', range),
    );
    return r.rows.map((x) => ({
      triggerId: String(x.trigger_id),
      channel: String(x.channel),
      variant: x.variant ?? null,
      deliveries: num(x.deliveries),
      delivered: num(x.delivered),
      opened: num(x.opened),
      clicked: num(x.clicked),
      bounced: num(x.bounced),
      complained: num(x.complained),
      unsubscribed: num(x.unsubscribed),
    }));
  }

  /**
   * Conversions credited to the deliveries made in the range: a goal event of the same customer
   * received within the goal's window after a delivery is a conversion; when several deliveries precede
   * it, the model decides which gets the credit (last, first, or an equal share each).
   */
  async attribution(
    range: ReportRange,
    goals: readonly ConversionGoal[],
    model: AttributionModel,
  ): Promise<AttributionCell[]> {
    const r = await this.pool.query<Record<string, string | null>>(
      ReportsRepository.sql.attribution,
      ReportsRepository.params('attribution', range, { goals, model }),
    );
    return r.rows.map((x) => ({
      triggerId: String(x.trigger_id),
      channel: String(x.channel),
      variant: x.variant ?? null,
      deliveries: num(x.deliveries),
      conversions: num(x.conversions),
      revenue: num(x.revenue),
    }));
  }

  /**
   * Matches fired in the range per trigger and experiment arm (variant, holdout): how many were
   * delivered, got a response, and converted within the goal window counted from the match
   * (intention to treat: the same clock for the holdout, who were never sent anything).
   */
  async cohorts(range: ReportRange, goals: readonly ConversionGoal[]): Promise<CohortCell[]> {
    const r = await this.pool.query<Record<string, string | boolean | null>>(
      ReportsRepository.sql.cohorts,
      ReportsRepository.params('cohorts', range, { goals }),
    );
    return r.rows.map((x) => ({
      triggerId: String(x.trigger_id),
      variant: typeof x.variant === 'string' ? x.variant : null,
      holdout: x.holdout === true,
      matches: num(x.matches),
      delivered: num(x.delivered),
      responded: num(x.responded),
      converted: num(x.converted),
      revenue: num(x.revenue),
    }));
  }
}
