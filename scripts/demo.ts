/**
 * `npm run demo`: pushes a realistic day of activity for a few thousand customers through a
 * running Kairos (`npm start`), so the dashboard (/dashboard) and the Temporal Web UI show
 * something real on first start.
 *
 * - Profiles (PUT /v1/customers/{id}) with email, phone, push token, time zone and consent.
 * - The same events first as history (POST /v1/import, stored at their occurredAt) for /studio.
 * - 120 days of history before the day with the churn model's signal, then its training
 *   (scripts/demo-churn.ts, docs/models.md §7).
 * - Events (POST /v1/events/batch, 500 per request) with occurredAt spread over the past 24 hours
 *   by a daily curve: product views, carts, orders, pricing and demo views, signups, sessions and
 *   subscriptions.
 * - Then, after a short wait, provider callbacks (POST /v1/feedback) for the deliveries the worker
 *   wrote to the local outbox: about a third opened, a tenth clicked, a few bounced.
 *
 * Bounded and idempotent: everything comes from a seeded generator and every event has a fixed
 * id, so running it again answers `duplicate` instead of doubling the data.
 *
 * Environment: GATEWAY_URL (http://127.0.0.1:3000), KAIROS_API_KEY (default: the development key
 * in .kairos/data/dev-api-key), DEMO_CUSTOMERS (2500), DEMO_SEED (1), DEMO_FEEDBACK_WAIT_S (15),
 * KAIROS_OUTBOX_DIR (.kairos/data/outbox).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { plantChurnSignal, trainChurnNow } from './demo-churn';
import { generateDay, type DemoEvent } from './demo-data';

const ROOT = path.resolve(__dirname, '..');
const GATEWAY = (process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const CUSTOMERS = Math.min(20_000, Math.max(1, Number(process.env.DEMO_CUSTOMERS ?? 2500)));
const SEED = Number(process.env.DEMO_SEED ?? 1);
const FEEDBACK_WAIT_S = Number(process.env.DEMO_FEEDBACK_WAIT_S ?? 15);
const OUTBOX = process.env.KAIROS_OUTBOX_DIR ?? path.join(ROOT, '.kairos', 'data', 'outbox');
const HOUR = 3_600_000;

function apiKey(): string {
  if (process.env.KAIROS_API_KEY) return process.env.KAIROS_API_KEY;
  const file = path.join(ROOT, '.kairos', 'data', 'dev-api-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new Error(`no API key: set KAIROS_API_KEY or run \`npm start\` once (it writes ${file})`);
}

async function call(
  key: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  for (let attempt = 0; ; attempt += 1) {
    const res = await fetch(`${GATEWAY}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // Temporal busy or a customer over its rate: wait as told and retry (ids make it safe).
    if ((res.status === 503 || res.status === 429) && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * Stores the day as history first: POST /v1/import keeps each event at its `occurredAt`, so a
 * backtest in /studio sees the day as it happened (live sends are stamped on receipt, all within
 * a minute). The live sends that follow still reach the journeys: an imported id is no duplicate
 * for a journey (docs/ingestion.md, "Import past events"). A second run imports nothing new.
 */
async function importDay(
  key: string,
  events: DemoEvent[],
): Promise<{ imported: number; duplicates: number }> {
  const total = { imported: 0, duplicates: 0 };
  for (let i = 0; i < events.length; i += 50_000) {
    const res = await fetch(`${GATEWAY}/v1/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body: events
        .slice(i, i + 50_000)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`the import failed: HTTP ${res.status} ${text.slice(0, 300)}`);
    const counts = JSON.parse(text) as { imported: number; duplicates: number };
    total.imported += counts.imported;
    total.duplicates += counts.duplicates;
  }
  return total;
}

/** The seeded draws of one generated day, shared by its helpers in the order they are made. */
/** Deterministic per delivery: the same deliveries open, click and bounce on every run. */
function fate(deliveryId: string): number {
  return createHash('sha256').update(`${SEED}:${deliveryId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Fails early, with what to do, when no gateway answers ready. */
async function assertGatewayReady(): Promise<void> {
  const health = await fetch(`${GATEWAY}/health/ready`).catch(() => null);
  if (!health || !health.ok)
    throw new Error(
      `the gateway at ${GATEWAY} is not ready: start Kairos with \`npm start\` (or set GATEWAY_URL)`,
    );
}

/** PUT every profile, 8 at a time; returns how many failed. */
async function sendProfiles(key: string, profiles: [string, object][]): Promise<number> {
  let profileErrors = 0;
  await pool(profiles, 8, async ([id, profile]) => {
    const r = await call(key, 'PUT', `/v1/customers/${encodeURIComponent(id)}`, profile);
    if (r.status >= 300) profileErrors += 1;
  });
  return profileErrors;
}

/**
 * POST the events in batches of 500 over four lanes of customers, each posting its own events in
 * time order: a customer's events stay in order while the lanes keep the gateway busy.
 */
async function sendEvents(
  key: string,
  events: DemoEvent[],
): Promise<{ statuses: Record<string, number>; byName: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  const byName: Record<string, number> = {};
  const LANES = 4;
  let sent = 0;
  const lanes = Array.from({ length: LANES }, (_, lane) =>
    events.filter((e) => Number(e.customerId.slice(-5)) % LANES === lane),
  );
  await Promise.all(
    lanes.map(async (laneEvents) => {
      for (let i = 0; i < laneEvents.length; i += 500) {
        const batch = laneEvents.slice(i, i + 500);
        await sendBatch(key, batch, statuses);
        for (const e of batch) byName[e.name] = (byName[e.name] ?? 0) + 1;
        sent += batch.length;
        process.stdout.write(`\r  events ${sent}/${events.length}`);
      }
    }),
  );
  process.stdout.write('\n');
  return { statuses, byName };
}

/** One batch; items refused for a moment (429, 503) are sent again with the same ids, up to 3 times. */
async function sendBatch(key: string, batch: DemoEvent[], statuses: Record<string, number>): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    const r = await call(key, 'POST', '/v1/events/batch', { events: pending });
    if (r.status !== 200)
      throw new Error(`a batch failed: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    const results = (r.body as { results: { status: string; error?: { status: number } }[] }).results;
    const again = results.filter((x) => x.error && [429, 503].includes(x.error.status) && attempt < 3);
    for (const item of results) {
      if (again.includes(item)) continue;
      const label = item.error ? `${item.status} (HTTP ${item.error.status})` : item.status;
      statuses[label] = (statuses[label] ?? 0) + 1;
    }
    pending = results.flatMap((x, n) => (again.includes(x) ? [pending[n]!] : []));
    if (pending.length > 0) await new Promise((res) => setTimeout(res, 1000 * (attempt + 1)));
  }
}

type Delivery = { deliveryId: string; customerId: string; at?: string };

/** The deliveries of this seed's customers the worker wrote to the local outbox so far. */
function readDeliveries(): Delivery[] {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith('.json')) : [];
  return files
    .map((f) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(OUTBOX, f), 'utf8')) as Delivery;
      } catch {
        return null;
      }
    })
    .filter((d): d is Delivery => !!d && d.customerId.startsWith(`demo-${SEED}-`));
}

/** Provider callbacks for what the worker sent so far; returns the answers counted by label. */
async function sendFeedback(key: string, deliveries: Delivery[]): Promise<Record<string, number>> {
  const feedback: Record<string, number> = {};
  await pool(deliveries, 8, async (d) => {
    const f = fate(d.deliveryId);
    const sentAt = d.at ? Date.parse(d.at) : Date.now();
    const types: string[] = ['delivered'];
    if (f < 0.03) types.splice(0, 1, 'bounced');
    else if (f < 0.36) types.push('opened');
    if (f >= 0.03 && f < 0.13) types.push('clicked');
    for (const [i, type] of types.entries()) {
      // A fixed time per (delivery, type), so a second run stores nothing twice (the gateway
      // answers every callback `accepted`); responses not due yet are left for a later run.
      const due = sentAt + (i + 1) * (1 + Math.floor(f * 10)) * 1000;
      if (due > Date.now()) continue;
      const at = new Date(due).toISOString();
      const r = await call(key, 'POST', '/v1/feedback', { deliveryId: d.deliveryId, type, at });
      const label =
        r.status === 202 ? `${type}:${(r.body as { status: string }).status}` : `${type}:HTTP ${r.status}`;
      feedback[label] = (feedback[label] ?? 0) + 1;
    }
  });
  return feedback;
}

async function main(): Promise<void> {
  const key = apiKey();
  await assertGatewayReady();
  const started = Date.now();
  // The day ends at the current hour: runs within the same hour send exactly the same events.
  const { profiles, events } = generateDay(SEED, CUSTOMERS, Math.floor(started / HOUR) * HOUR);
  // The churn model's learnable signal (docs/models.md §7): faded customers skip the day.
  const churn = plantChurnSignal(SEED, CUSTOMERS, Math.floor(started / HOUR) * HOUR - 24 * HOUR, events);
  events.splice(0, events.length, ...churn.day);
  process.stdout.write(
    `demo: ${profiles.length} customers, ${events.length} events over the past 24 h -> ${GATEWAY}\n`,
  );

  const profileErrors = await sendProfiles(key, profiles);
  const profilesS = (Date.now() - started) / 1000;
  const history = await importDay(key, events);
  const churnHistory = await importDay(key, churn.history);
  const { statuses, byName } = await sendEvents(key, events);
  const eventsS = (Date.now() - started) / 1000 - profilesS;

  if (FEEDBACK_WAIT_S > 0) {
    process.stdout.write(`  waiting ${FEEDBACK_WAIT_S}s for the worker's first deliveries...\n`);
    await new Promise((r) => setTimeout(r, FEEDBACK_WAIT_S * 1000));
  }
  const deliveries = readDeliveries();
  const feedback = await sendFeedback(key, deliveries);

  const lines = [
    `customers      ${profiles.length}${profileErrors ? ` (${profileErrors} profile errors)` : ''}`,
    `events         ${events.length}  ${Object.entries(statuses)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `by name        ${Object.entries(byName)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `history        ${history.imported} imported at their occurredAt (${history.duplicates} already stored)`,
    `churn history  ${churnHistory.imported} events over 120 days imported (${churnHistory.duplicates} already stored), ${churn.gone} customers gone`,
    `models         ${await trainChurnNow()}`,
    `deliveries     ${deliveries.length} in ${OUTBOX}`,
    `feedback       ${
      Object.entries(feedback)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none yet (run again later: it is idempotent)'
    }`,
    `took           ${((Date.now() - started) / 1000).toFixed(1)} s (profiles ${profilesS.toFixed(1)} s, events ${eventsS.toFixed(1)} s)`,
    `dashboard      ${GATEWAY}/dashboard   (Temporal Web UI: http://127.0.0.1:8233 by default)`,
    `studio         ${GATEWAY}/studio   (backtest a trigger on this day, e.g. abandoned-cart with a 30m window)`,
    'note           abandoned carts fire after 2 h without an order, pricing follow-ups at 10:00 local time:',
    '               run `npm run demo` again later to send the callbacks of those deliveries.',
  ];
  process.stdout.write(`${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
