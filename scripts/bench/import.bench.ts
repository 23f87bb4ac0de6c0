/**
 * `npm run bench -- import [--events 100000] [--rounds 3]`: events/s `POST /v1/import` stores
 * into journey_events (HTTP -> NDJSON split -> zod -> batched INSERT ... ON CONFLICT), through the
 * real gateway on an embedded Postgres. Each round sends one request of EVENTS new events, plain
 * then gzip, then the plain file again (all duplicates). Temporal is not needed: the import never
 * signals, and the gateway's connection is lazy. Target: >= 20,000 events/s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { startBenchGateway } from './support/bench-gateway';
import { intOptions } from './support/int-options';

const TARGET = 20_000;

/** EVENTS lines over 1,000 customers, shaped like a real export (a few properties each). */
function ndjson(round: string, events: number): string {
  const lines: string[] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < events; i++) {
    lines.push(
      JSON.stringify({
        id: `${round}-${i}`,
        customerId: `bench-${i % 1000}`,
        name: i % 3 ? 'Product Viewed' : 'Order Completed',
        occurredAt: new Date(start + i * 1000).toISOString(),
        properties: { sku: `sku-${i % 500}`, price: (i % 97) + 0.99, currency: 'EUR' },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

type Run = { label: string; events: number; bytes: number; seconds: number; rate: number; answer: unknown };

async function post(url: string, key: string, label: string, body: Buffer, gzip: boolean): Promise<Run> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    'content-type': 'application/x-ndjson',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const answer = (await res.json()) as { received?: number };
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status} ${JSON.stringify(answer)}`);
  const events = answer.received ?? 0;
  return {
    label,
    events,
    bytes: body.length,
    seconds: Math.round(seconds * 1000) / 1000,
    rate: Math.round(events / seconds),
    answer: { ...answer, errors: undefined },
  };
}

export async function run(options: string[]): Promise<void> {
  const { events, rounds } = intOptions(options, { events: 100_000, rounds: 3 });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  log('starting embedded Postgres and the gateway');
  const gw = await startBenchGateway({
    name: 'import',
    triggersDir: path.resolve(__dirname, '..', '..', 'libs', 'testing', 'src', 'fixtures', 'triggers'),
    scopes: ['events:import'],
    // The import signals nothing: no Temporal server.
    withTemporal: false,
  });
  try {
    const url = `${gw.base}/v1/import`;
    const { key } = gw;

    const runs: Run[] = [];
    for (let r = 0; r < rounds; r++) {
      const plain = Buffer.from(ndjson(`r${r}p`, events));
      const zipped = gzipSync(ndjson(`r${r}z`, events));
      for (const result of [
        await post(url, key, `round ${r + 1} plain`, plain, false),
        await post(url, key, `round ${r + 1} gzip`, zipped, true),
        await post(url, key, `round ${r + 1} plain again (duplicates)`, plain, false),
      ]) {
        runs.push(result);
        log(
          `${result.label}: ${result.events} events, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds} s = ${result.rate.toLocaleString('en')} events/s ${JSON.stringify(result.answer)}`,
        );
      }
    }
    const fresh = runs
      .filter((r) => !r.label.includes('again'))
      .map((r) => r.rate)
      .sort((a, b) => a - b);
    const median = fresh[Math.floor(fresh.length / 2)] ?? 0;
    log(
      `\nnew events, median of ${fresh.length} requests: ${median.toLocaleString('en')} events/s (target >= ${TARGET.toLocaleString('en')}): ${median >= TARGET ? 'PASS' : 'FAIL'}`,
    );
    log(
      `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const outDir = path.resolve(__dirname, '..', '..', '.kairos', 'bench');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(
      path.join(outDir, 'import.json'),
      JSON.stringify({ events, median, target: TARGET, runs }, null, 2),
    );
  } finally {
    await gw.stop();
  }
}
