/**
 * `npm run bench -- triggers`: throughput of the matcher on a 50-trigger mixed set, through one
 * engine and through 10,000 customers' engines (per wall-clock and per CPU second); state bytes
 * per customer; snapshot+restore cost; the cost of an event no trigger reads. Figures are printed
 * and written to .kairos/bench/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEngine,
  validateTriggerSet,
  type Engine,
  type EngineState,
  type MatchEvent,
  type Trigger,
} from '@kairos/triggers';

const RELEVANT = Array.from({ length: 40 }, (_, i) => `evt.r${i}`);
const IRRELEVANT = Array.from({ length: 20 }, (_, i) => `noise.n${i}`);

/** 50 mixed triggers: atoms, seqs (with absences), counts, alls, anys, inactivity, correlation. */
export function benchTriggers(): Trigger[] {
  const ev = (i: number, extra: Record<string, unknown> = {}) => ({
    kind: 'event',
    name: RELEVANT[i % RELEVANT.length],
    ...extra,
  });
  const step = (node: unknown) => ({ kind: 'step', node });
  const defs: Record<string, unknown>[] = [];
  for (let i = 0; i < 14; i++)
    defs.push({
      pattern: ev(i, { where: { path: 'properties.v', op: 'gt', value: 50 } }),
      reentry: { mode: 'cooldown', cooldown: '1h' },
    });
  for (let i = 0; i < 10; i++)
    defs.push({
      startPolicy: 'latest',
      pattern: {
        kind: 'seq',
        within: '1h',
        steps: [
          step(ev(i + 3)),
          step(ev(i + 7, { where: { path: 'properties.plan', op: 'in', values: ['pro', 'team'] } })),
        ],
      },
    });
  for (let i = 0; i < 6; i++)
    defs.push({
      startPolicy: 'latest',
      pattern: {
        kind: 'seq',
        steps: [step(ev(i + 11, { as: 'start' })), { kind: 'absent', event: ev(i + 12), for: '30m' }],
      },
    });
  for (let i = 0; i < 5; i++)
    defs.push({
      pattern: { kind: 'count', event: ev(i + 20), atLeast: 3, within: '10m', distinctBy: 'properties.sku' },
      group: 'counts',
      priority: i,
    });
  for (let i = 0; i < 5; i++)
    defs.push({
      pattern: {
        kind: 'all',
        within: '20m',
        of: [ev(i + 25), ev(i + 30), { kind: 'count', event: ev(i + 2), atLeast: 2, within: '5m' }],
      },
      dropLower: i === 0,
      priority: 5,
    });
  for (let i = 0; i < 3; i++)
    defs.push({
      pattern: { kind: 'any', of: [ev(i + 33), { kind: 'all', within: '5m', of: [ev(i + 34), ev(i + 35)] }] },
    });
  for (let i = 0; i < 3; i++) defs.push({ pattern: { kind: 'inactivity', event: ev(i + 36), for: '2h' } });
  for (let i = 0; i < 4; i++)
    defs.push({
      correlate: { by: ['properties.cart'] },
      startPolicy: 'latest',
      limits: { maxKeys: 4 },
      pattern: {
        kind: 'seq',
        steps: [
          step(ev(i + 16, { as: 'c' })),
          step(
            ev(i + 17, {
              where: { path: 'properties.sku', op: 'eqRef', ref: { as: 'c', path: 'properties.sku' } },
            }),
          ),
        ],
      },
    });
  const r = validateTriggerSet(
    defs.map((d, i) => ({ id: `bench-${String(i).padStart(2, '0')}`, version: 1, ...d })),
  );
  if (!r.ok) throw new Error(`bench trigger set is invalid: ${JSON.stringify(r.errors.slice(0, 3))}`);
  return r.triggers;
}

/** Deterministic pseudo-random stream (LCG) for one customer. */
function stream(n: number, seed: number, irrelevantShare: number, start = 1_700_000_000_000): MatchEvent[] {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 0x100000000;
  };
  const out: MatchEvent[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 20_000);
    const irrelevant = rnd() < irrelevantShare;
    const name = irrelevant
      ? (IRRELEVANT[Math.floor(rnd() * IRRELEVANT.length)] as string)
      : (RELEVANT[Math.floor(rnd() * RELEVANT.length)] as string);
    out.push({
      id: `s${seed}-e${i}`,
      name,
      ts: t,
      receivedAt: t,
      properties: {
        v: Math.floor(rnd() * 100),
        plan: rnd() < 0.5 ? 'pro' : 'free',
        sku: `sku-${Math.floor(rnd() * 8)}`,
        cart: `cart-${Math.floor(rnd() * 6)}`,
      },
    });
  }
  return out;
}

function drive(engine: Engine, e: MatchEvent): number {
  let outs = 0;
  for (let w = engine.nextWakeup(); w !== null && w < e.receivedAt; w = engine.nextWakeup())
    outs += engine.advanceTo(w).length;
  return outs + engine.ingest(e).length;
}

function perSecond(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

/** Milliseconds of CPU (user + system, every thread of this process) since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

// The bench runner awaits `run()`; the work itself is synchronous.

export async function run(): Promise<void> {
  const triggers = benchTriggers();
  const figures: Record<string, number | string> = { triggers: triggers.length };

  // 1. One engine, 50 triggers, a realistic mix (30 % events no trigger reads).
  {
    const events = stream(200_000, 7, 0.3);
    const warm = createEngine(triggers);
    for (const e of events.slice(0, 20_000)) drive(warm, e);
    const engine = createEngine(triggers);
    let outs = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const e of events) outs += drive(engine, e);
    const ms = performance.now() - t0;
    figures.oneEngineEventsPerSec = perSecond(events.length, ms);
    // Per CPU second of this process: on a shared machine, less dependent on other processes.
    figures.oneEngineCpuEventsPerSec = perSecond(events.length, cpuMs(c0));
    figures.oneEngineOutputs = outs;
    figures.oneEngineStateBytes = Buffer.byteLength(JSON.stringify(engine.snapshot()));
  }

  // 2. Only events no trigger reads: the name index makes them nearly free.
  {
    const events = stream(200_000, 11, 1);
    const engine = createEngine(triggers);
    const t0 = performance.now();
    for (const e of events) drive(engine, e);
    figures.irrelevantEventsPerSec = perSecond(events.length, performance.now() - t0);
  }

  // 3. 10,000 customers, one engine each, events interleaved across customers.
  {
    const customers = 10_000;
    const perCustomer = 40;
    const streams = Array.from({ length: customers }, (_, c) => stream(perCustomer, 1000 + c, 0.3));
    const engines = streams.map(() => createEngine(triggers));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < perCustomer; i++)
      for (let c = 0; c < customers; c++)
        drive(engines[c] as Engine, (streams[c] as MatchEvent[])[i] as MatchEvent);
    const ms = performance.now() - t0;
    figures.manyCustomers = customers;
    figures.manyCustomersEventsPerSec = perSecond(customers * perCustomer, ms);
    figures.manyCustomersCpuEventsPerSec = perSecond(customers * perCustomer, cpuMs(c0));
    let total = 0;
    let max = 0;
    const t1 = performance.now();
    const restored: Engine[] = [];
    for (const engine of engines) {
      const text = JSON.stringify(engine.snapshot());
      const bytes = Buffer.byteLength(text);
      total += bytes;
      max = Math.max(max, bytes);
      restored.push(createEngine(triggers, undefined, JSON.parse(text) as EngineState));
    }
    const snapMs = performance.now() - t1;
    figures.stateBytesPerCustomerAvg = Math.round(total / customers);
    figures.stateBytesPerCustomerMax = max;
    figures.snapshotRestoreMicrosPerCustomer = Math.round((snapMs / customers) * 1000);
    void restored;
  }

  // 4. Snapshot+restore of a busy engine (the continue-as-new path).
  {
    const engine = createEngine(triggers);
    for (const e of stream(5_000, 23, 0.3)) drive(engine, e);
    const reps = 200;
    const t0 = performance.now();
    let bytes = 0;
    for (let i = 0; i < reps; i++) {
      const text = JSON.stringify(engine.snapshot());
      bytes = Buffer.byteLength(text);
      createEngine(triggers, undefined, JSON.parse(text) as EngineState);
    }
    figures.busySnapshotRestoreMicros = Math.round(((performance.now() - t0) / reps) * 1000);
    figures.busyStateBytes = bytes;
  }

  figures.target = 'oneEngineEventsPerSec >= 400000 (Kairos issue 11)';
  for (const [k, v] of Object.entries(figures))
    process.stdout.write(`${k.padEnd(34)} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}\n`);
  const dir = join(process.cwd(), '.kairos', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'triggers.json'), `${JSON.stringify(figures, null, 2)}\n`);
}
