/**
 * `node -r ./scripts/register.js scripts/capture-histories.ts`: runs representative journeys on a
 * time-skipping Temporal server (real embedded Postgres, or DATABASE_URL's server) and writes
 * their histories to temporal/histories/<name>.history.bin for the replay tests. Run it before changing
 * the journey workflow, commit the files, then change the workflow behind patched().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { createPool, runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import { exitSignal } from '@kairos/contracts';
import { Customer, MemoryProfiles, startKitWorker } from '@kairos/testing';
import { createTimeSkippingEnv } from '../test/support/temporal-env';

const OUT = path.resolve(__dirname, '..', 'temporal', 'histories');
const MIN = 60_000;
const HOUR = 60 * MIN;

async function main(): Promise<void> {
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres({
        dataDir: path.join(os.tmpdir(), `kairos-capture-${process.pid}`),
        persistent: false,
      });
  await runMigrations(db.url);
  const pool = createPool(db.url);
  pool.on('error', () => undefined); // the embedded server stops right after the pool ends
  const env = await createTimeSkippingEnv();
  const profiles = new MemoryProfiles();
  const taskQueue = `capture-${randomUUID()}`;
  const worker = await startKitWorker(env.nativeConnection, pool, taskQueue, { profiles });
  const customer = (name: string) =>
    new Customer(env.client, taskQueue, `capture-${name}`, () => env.currentTimeMs());
  const journeys: Record<string, (c: Customer) => Promise<void>> = {
    'abandoned-cart-fired': async (c) => {
      await c.send('cart.updated', { cart_id: 'k1', items: 'shoes' });
      await c.until((v) => v.partialMatches.length === 1, 'partial');
      await env.sleep(2 * HOUR + MIN);
      await c.until((v) => v.history.some((h) => h.status === 'sent'), 'sent');
    },
    'abandoned-cart-ordered': async (c) => {
      await c.send('cart.updated', { cart_id: 'k1' });
      await c.send('order.completed', { total: 80 });
      await c.until((v) => v.counters.events === 2, 'events');
      await env.sleep(3 * HOUR);
    },
    'compound-and-group-suppression': async (c) => {
      await c.send('pricing.viewed');
      await c.send('product.compared');
      await c.send('order.placed', { total: 250 });
      await c.until((v) => v.history.length >= 3, 'outcomes');
    },
    'delay-cancelled-by-conversion': async (c) => {
      await c.send('trial.started');
      await c.until((v) => v.pendingResponses.length === 1, 'pending');
      await env.sleep(30 * MIN);
      await c.send('subscription.purchased');
      await c.until((v) => v.pendingResponses.length === 0, 'cancelled');
    },
    'escalation-expired-then-acked': async (c) => {
      profiles.profiles.set(c.id, { customerId: c.id, attributes: { tier: 'vip' }, timezone: 'UTC' });
      await c.send('subscription.cancel_requested');
      await c.until((v) => v.stage === 'escalated', 'escalated');
      await env.sleep(31 * MIN);
      await c.until(
        (v) => v.history.some((h) => h.status === 'escalated' && h.channel === 'escalation-2'),
        'level 2',
      );
      await c.signal(exitSignal, { v: 1, reason: 'captured', at: await env.currentTimeMs() });
    },
  };
  fs.mkdirSync(OUT, { recursive: true });
  try {
    for (const [name, run] of Object.entries(journeys)) {
      const c = customer(`${name}-${randomUUID().slice(0, 6)}`);
      await run(c);
      const handle = env.client.workflow.getHandle(c.workflowId);
      await handle.terminate('history captured');
      const history = await handle.fetchHistory();
      // Binary protobuf: the SDK's JSON converter trips over two protobufjs copies in node_modules.
      fs.writeFileSync(
        path.join(OUT, `${name}.history.bin`),
        temporal.api.history.v1.History.encode(history).finish(),
      );
      process.stdout.write(`captured ${name}: ${history.events?.length ?? 0} events\n`);
    }
  } finally {
    await worker.stop();
    await env.teardown();
    await pool.end();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
