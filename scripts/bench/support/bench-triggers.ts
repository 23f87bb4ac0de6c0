/**
 * The trigger directory of the throughput bench: ONE immediate trigger answered on the webhook
 * channel. Events named `bench.ping` wake the journey (the gateway signals them); only those
 * with `properties.match: true` match, so the same name also measures an event that matches
 * nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadTriggerDir } from '@kairos/triggers/node';

export const BENCH_EVENT = 'bench.ping';
export const BENCH_TRIGGER_ID = 'bench-webhook';

const trigger = {
  id: BENCH_TRIGGER_ID,
  version: 1,
  description: 'Throughput bench: a bench.ping with properties.match = true, answered at once by webhook.',
  pattern: {
    kind: 'event',
    name: BENCH_EVENT,
    where: { path: 'properties.match', op: 'eq', value: true },
    as: 'ping',
  },
  response: {
    delay: { type: 'none' },
    channels: { order: ['webhook'] },
    template: 'bench-webhook',
    // Webhooks skip quiet hours and the minimum gap anyway; caps off so a rerun on one day sends.
    policy: { quietHours: 'ignore', caps: 'ignore' },
  },
};

const template = 'ping {{ ping.id }} of {{ customer.id }}\n';

/** Writes the directory and checks it with the loader the worker and gateway use. */
export function writeBenchTriggers(dir: string): void {
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, `${BENCH_TRIGGER_ID}.json`), `${JSON.stringify(trigger, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'templates', 'bench-webhook.liquid'), template);
  const loaded = loadTriggerDir(dir);
  if (loaded.errors.length > 0 || loaded.triggers.length !== 1)
    throw new Error(`bench triggers invalid: ${JSON.stringify(loaded.errors)}`);
}
