/**
 * `npm run bench -- segment [--rounds 8] [--events 100]`: the Segment adapter's cost over the
 * native batch. The same events (20 customers, all relevant, so each is recorded and signalled)
 * go as a Segment `/v1/batch` and as `/v1/events/batch`, rounds interleaved so machine noise hits
 * both alike; the figure is Segment's rate over the native one (issue "Plug-in ingestion" wants
 * at least 0.9). Embedded Postgres, a Temporal dev server and the gateway run in this process.
 * Writes .kairos/bench/segment.json.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startBenchGateway } from './support/bench-gateway';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function writeTriggers(dir: string): void {
  const trigger = { id: 'order-thanks', version: 1, pattern: { kind: 'event', name: 'Order Completed' } };
  fs.writeFileSync(path.join(dir, 'order-thanks.json'), JSON.stringify(trigger));
}

/** One batch each way; the milliseconds of each (an answer that is not all-accepted throws). */
async function round(base: string, key: string, events: number): Promise<[number, number]> {
  const items = Array.from({ length: events }, (_, i) => ({
    id: `b-${randomUUID()}`,
    customer: `c-${randomUUID().slice(0, 6)}-${i % 20}`,
    total: i,
  }));
  const post = async (route: string, body: unknown, ok: (b: unknown) => boolean): Promise<number> => {
    const start = performance.now();
    const res = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer: unknown = await res.json();
    const ms = performance.now() - start;
    if (res.status !== 200 || !ok(answer))
      throw new Error(`${route}: ${res.status} ${JSON.stringify(answer)}`);
    return ms;
  };
  const segment = await post(
    '/v1/batch',
    {
      batch: items.map((e) => ({
        type: 'track',
        messageId: e.id,
        userId: `s-${e.customer}`,
        event: 'Order Completed',
        properties: { total: e.total },
        timestamp: new Date().toISOString(),
      })),
    },
    (b) =>
      (b as { success?: boolean; rejected?: unknown }).success === true &&
      !(b as { rejected?: unknown }).rejected,
  );
  const native = await post(
    '/v1/events/batch',
    {
      events: items.map((e) => ({
        id: e.id,
        customerId: `n-${e.customer}`,
        name: 'Order Completed',
        occurredAt: new Date().toISOString(),
        properties: { total: e.total },
      })),
    },
    (b) => (b as { results: { status: string }[] }).results.every((r) => r.status === 'accepted'),
  );
  return [segment, native];
}

export async function run(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string', default: '8' }, events: { type: 'string', default: '100' } },
  });
  const rounds = Number(values.rounds);
  const events = Number(values.events);
  const triggersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bench-segment-triggers-'));
  writeTriggers(triggersDir);
  const gw = await startBenchGateway({
    name: 'segment',
    triggersDir,
    scopes: ['events:write'],
    withTemporal: true,
  });
  try {
    const { base, key } = gw;
    await round(base, key, events); // warm-up: JIT, pools, first workflow starts
    const segment: number[] = [];
    const native: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [s, n] = await round(base, key, events);
      segment.push(s);
      native.push(n);
    }
    const result = {
      events,
      rounds,
      segmentMedianMs: Math.round(median(segment) * 10) / 10,
      nativeMedianMs: Math.round(median(native) * 10) / 10,
      rateRatio: Math.round((median(native) / median(segment)) * 100) / 100,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    process.stdout.write(`segment: ${JSON.stringify(result)}\n`);
    const outDir = path.resolve(__dirname, '..', '..', '.kairos', 'bench');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'segment.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await gw.stop();
    fs.rmSync(triggersDir, { recursive: true, force: true });
  }
}
