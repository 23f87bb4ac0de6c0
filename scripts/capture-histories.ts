/**
 * `node -r ./scripts/register.js scripts/capture-histories.ts`: runs representative journeys on a
 * time-skipping Temporal server (real embedded Postgres, or DATABASE_URL's server) and writes
 * their histories to temporal/histories/v2-<name>.history.bin for the replay tests, with the
 * definition versions they ran on merged into temporal/histories/definitions.json (the replay
 * test compiles them into the workflow bundle, as a worker does). It also records a v1 journey
 * taken over by v2 mid-delay (v1-takeover, then v2-after-takeover). Earlier captures (the v1
 * histories) stay: run it before changing the journey workflow, commit the files, then change
 * the workflow behind patched(). Names given as arguments capture only those scenarios
 * (`takeover` names the v1 takeover).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';
import { createPool, runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import {
  customerWorkflowId,
  eventSignal,
  exitSignal,
  WORKFLOW_TYPE,
  type JourneyInput,
} from '@kairos/contracts';
import { DefinitionsRegistrySchema, type DefinitionsRegistry } from '@kairos/triggers';
import { Customer, kitDefinitions, MemoryProfiles, startKitWorker } from '@kairos/testing';
import { toDefinitionsVersion } from '../apps/worker/src/activities';
import { createTimeSkippingEnv } from '../test/support/temporal-env';

const OUT = path.resolve(__dirname, '..', 'temporal', 'histories');
const REGISTRY = path.join(OUT, 'definitions.json');
const V1_WORKFLOWS = path.resolve(__dirname, '..', 'test', 'replay', 'v1', 'workflows.ts');
const MIN = 60_000;
const HOUR = 60 * MIN;

type Scenario = (c: Customer) => Promise<void>;
/** Scenarios whose journey is started on the kit's version by name, as the gateway may start it. */
const NAMED = new Set(['named-definitions']);

function scenarios(env: TestWorkflowEnvironment, profiles: MemoryProfiles): Record<string, Scenario> {
  return {
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
    // No local activity at start; past 200 history events, one asks the worker's history bound.
    'named-definitions': async (c) => {
      await c.send('ping');
      await c.until((v) => v.history.some((h) => h.status === 'sent'), 'sent');
      for (let i = 0; i < 100; i++) await c.send('page.viewed', { i });
      await c.until((v) => v.counters.events === 101, 'events');
    },
  };
}

/** Writes one run's history (binary protobuf: the SDK's JSON converter trips over two protobufjs copies). */
async function write(
  env: TestWorkflowEnvironment,
  name: string,
  workflowId: string,
  runId?: string,
): Promise<void> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  fs.writeFileSync(
    path.join(OUT, `${name}.history.bin`),
    temporal.api.history.v1.History.encode(history).finish(),
  );
  process.stdout.write(`captured ${name}: ${history.events?.length ?? 0} events\n`);
}

/** A journey started on the v1 code (input v: 1), waiting mid-delay when a v2 worker takes over. */
async function captureTakeover(env: TestWorkflowEnvironment, pool: Pool): Promise<void> {
  const taskQueue = `capture-takeover-${randomUUID()}`;
  const customerId = `capture-takeover-${randomUUID().slice(0, 6)}`;
  const workflowId = customerWorkflowId(customerId);
  // No cache: the v2 worker must take the journey over from its history alone.
  const v1 = await startKitWorker(env.nativeConnection, pool, taskQueue, {
    workflowsPath: V1_WORKFLOWS,
    maxCachedWorkflows: 0,
  });
  try {
    const now = await env.currentTimeMs();
    const input: JourneyInput = { v: 1, customerId };
    await env.client.workflow.signalWithStart(WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [input],
      signal: eventSignal,
      signalArgs: [
        {
          v: 1,
          id: 'e1',
          customerId,
          name: 'trial.started',
          category: 'customer_action',
          ts: now,
          receivedAt: now,
          properties: {},
        },
      ],
    });
    const first = new Customer(env.client, taskQueue, customerId, () => env.currentTimeMs(), pool);
    await first.until((v) => v.pendingResponses.length === 1, 'pending on v1');
  } finally {
    await v1.stop();
  }
  const firstRunId = (await env.client.workflow.getHandle(workflowId).describe()).runId;
  const v2 = await startKitWorker(env.nativeConnection, pool, taskQueue, { maxCachedWorkflows: 0 });
  try {
    await env.sleep(HOUR + MIN);
    const c = new Customer(env.client, taskQueue, customerId, () => env.currentTimeMs(), pool);
    await c.until((v) => v.history.some((h) => h.status === 'sent'), 'sent on v2');
    await write(env, 'v1-takeover', workflowId, firstRunId);
    await env.client.workflow.getHandle(workflowId).terminate('history captured');
    await write(env, 'v2-after-takeover', workflowId);
  } finally {
    await v2.stop();
  }
}

/** Adds the definition version the captures ran on to the registry beside the histories. */
function rememberDefinitions(): void {
  const known: DefinitionsRegistry = fs.existsSync(REGISTRY)
    ? DefinitionsRegistrySchema.parse(JSON.parse(fs.readFileSync(REGISTRY, 'utf8')))
    : { versions: {} };
  const current = toDefinitionsVersion(kitDefinitions());
  known.versions[current.hash] = current.set;
  fs.writeFileSync(REGISTRY, `${JSON.stringify(known, null, 2)}\n`);
  process.stdout.write(`definitions ${current.hash} in ${path.relative(process.cwd(), REGISTRY)}\n`);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  // The scenarios only run when called: their names are known before anything starts.
  const known = [...Object.keys(scenarios({} as TestWorkflowEnvironment, new MemoryProfiles())), 'takeover'];
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${known.join(', ')})`);
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
  fs.mkdirSync(OUT, { recursive: true });
  const hash = toDefinitionsVersion(kitDefinitions()).hash;
  try {
    rememberDefinitions();
    for (const [name, run] of Object.entries(scenarios(env, profiles))) {
      if (only.length > 0 && !only.includes(name)) continue;
      const c = new Customer(
        env.client,
        taskQueue,
        `capture-${name}-${randomUUID().slice(0, 6)}`,
        () => env.currentTimeMs(),
        pool,
        NAMED.has(name) ? hash : undefined,
      );
      await run(c);
      await env.client.workflow.getHandle(c.workflowId).terminate('history captured');
      await write(env, `v2-${name}`, c.workflowId);
    }
  } finally {
    await worker.stop();
  }
  try {
    if (only.length === 0 || only.includes('takeover')) await captureTakeover(env, pool);
  } finally {
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
