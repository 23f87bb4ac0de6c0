import type { Pool, PoolClient } from 'pg';

/** A stored event as the matcher takes it (`MatchEvent` of @kairos/triggers), times in epoch ms. */
export type StoredEvent = {
  id: string;
  name: string;
  ts: number;
  receivedAt: number;
  properties: Record<string, unknown>;
};

/** One customer's events of the range, in the journey's order (received time, then event id). */
export type StoredCustomerEvents = { customerId: string; events: StoredEvent[] };

export type StoredEventsQuery = {
  /** Range on the received time, epoch ms: [from, to). */
  from: number;
  to: number;
  /** Only these customers. */
  customers?: readonly string[];
  /** Resume after this customer id (customers come in id order). */
  after?: string | null;
  /** Stop after this many customers. */
  limit?: number;
  /**
   * The top-level property keys to read; the events come with only these (a key the event lacks
   * stays absent). Parsing whole properties is most of the cost of a read, and a matcher reads
   * only the keys its triggers name. Omitted or null: every event's whole properties.
   */
  propertyKeys?: readonly string[] | null;
};

/** Rows per FETCH: the memory of a read is this page plus the largest customer. */
const PAGE = 4000;
/** Every column as the server's text: parsed here, faster than the driver's per-type parsers. */
const RAW = { getTypeParser: () => (v: string) => v };
const EMPTY: Record<string, unknown> = Object.freeze({});

function whereOf(q: StoredEventsQuery): { where: string; values: unknown[] } {
  const values: unknown[] = [new Date(q.from), new Date(q.to)];
  const where = ['received_at >= $1', 'received_at < $2'];
  if (q.customers) {
    values.push(q.customers);
    where.push(`customer_id = ANY($${values.length}::text[])`);
  }
  if (q.after != null) {
    values.push(q.after);
    where.push(`customer_id > $${values.length}`);
  }
  return { where: where.join(' AND '), values };
}

function sqlOf(q: StoredEventsQuery): { text: string; values: unknown[] } {
  const { where, values } = whereOf(q);
  const keys = q.propertyKeys;
  let props = 'properties::text';
  if (keys) {
    // One column per key: `properties -> $n` (the value's JSON text, NULL when absent).
    props =
      keys.length === 0
        ? 'NULL'
        : keys
            .map((k) => {
              values.push(k);
              return `properties -> $${values.length}::text`;
            })
            .join(', ');
  }
  return {
    // date_part (float8) costs the server far less than extract (numeric); times are stored
    // with whole milliseconds, which the parser's rounding recovers exactly.
    text: `SELECT customer_id, event_id, name,
         date_part('epoch', occurred_at) * 1000, date_part('epoch', received_at) * 1000, ${props}
       FROM journey_events WHERE ${where}
       ORDER BY customer_id, received_at, event_id`,
    values,
  };
}

/**
 * Reads stored events for backtests (docs/api.md §11) with a server-side cursor, one customer at
 * a time, so memory is bounded by the largest customer, not by the range.
 */
export class BacktestEventsRepository {
  constructor(private readonly pool: Pool) {}

  /** Customers with an event in the range (for progress), or the length of `customers`. */
  async countCustomers(q: StoredEventsQuery): Promise<number> {
    const { where, values } = whereOf({ ...q, after: null });
    const r = await this.pool.query<{ n: string }>(
      `SELECT count(DISTINCT customer_id) AS n FROM journey_events WHERE ${where}`,
      values,
    );
    const n = Number(r.rows[0]?.n ?? 0);
    return q.limit !== undefined ? Math.min(n, q.limit) : n;
  }

  /** The customers of the range in id order, each with its events in the journey's order. */
  async *customers(q: StoredEventsQuery): AsyncGenerator<StoredCustomerEvents> {
    const client = await this.pool.connect();
    let open = false;
    let next: Promise<Row[]> | null = null;
    try {
      await client.query('BEGIN READ ONLY');
      open = true;
      const { text, values } = sqlOf(q);
      await client.query({ text: `DECLARE backtest_events NO SCROLL CURSOR FOR ${text}`, values });
      let current: StoredCustomerEvents | null = null;
      let done = 0;
      // The next page is asked for before this one is parsed: the server reads while we match.
      next = fetchPage(client);
      while (next !== null) {
        const rows: Row[] = await next;
        next = rows.length === PAGE ? fetchPage(client) : null;
        for (const r of rows) {
          const customerId = r[0] as string;
          if (current === null || current.customerId !== customerId) {
            if (current !== null) {
              yield current;
              if (q.limit !== undefined && ++done >= q.limit) return;
            }
            current = { customerId, events: [] };
          }
          current.events.push(eventOf(r, q.propertyKeys));
        }
      }
      if (current !== null) yield current;
    } finally {
      // A consumer that stops early leaves a page in flight: it completes before the rollback.
      await next?.catch(() => undefined);
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
}

type Row = (string | null)[];

/** A JSON value as PostgreSQL prints it: plain strings and numbers without JSON.parse. */
function jsonValue(t: string): unknown {
  const c = t.charCodeAt(0);
  if (c === 34 && t.indexOf('\\') === -1) return t.slice(1, -1);
  if ((c >= 48 && c <= 57) || c === 45) {
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  return JSON.parse(t);
}

function eventOf(r: Row, keys: readonly string[] | null | undefined): StoredEvent {
  let properties = EMPTY;
  if (keys) {
    for (let i = 0; i < keys.length; i++) {
      const v = r[5 + i];
      if (v == null) continue;
      if (properties === EMPTY) properties = {};
      const key = keys[i] as string;
      // JSON.parse makes "__proto__" an own key; an assignment would set the prototype.
      if (key === '__proto__')
        Object.defineProperty(properties, key, { value: jsonValue(v), enumerable: true });
      else properties[key] = jsonValue(v);
    }
  } else if (r[5] != null) properties = JSON.parse(r[5]) as Record<string, unknown>;
  return {
    id: r[1] as string,
    name: r[2] as string,
    ts: Math.round(Number(r[3])),
    receivedAt: Math.round(Number(r[4])),
    properties,
  };
}

async function fetchPage(client: PoolClient): Promise<Row[]> {
  const r = await client.query<Row>({
    text: `FETCH ${PAGE} FROM backtest_events`,
    rowMode: 'array',
    types: RAW,
  });
  return r.rows;
}
