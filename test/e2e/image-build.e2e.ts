/**
 * The Dockerfile's steps without Docker: the build stage's compile-and-stage command runs from the
 * repository (its node_modules stand for the stage's `npm ci`), the runtime stage's folder is laid
 * out as the image's /app (the manifests it copies, production packages only, the staged output;
 * no TypeScript sources), and the gateway and worker start there with the image's environment and
 * commands (plain node), against a real Temporal dev server and the test run's PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { parse } from 'yaml';
import { ApiKeysRepository, createPool, JourneyEventsRepository } from '@kairos/persistence';
import { startDevServer, type DevServer } from '../../scripts/support/dev-server';
import {
  ROOT,
  copyTarget,
  effectiveSteps,
  readDockerfile,
  stageNamed,
  type DockerStage,
} from '../support/dockerfile';
import { linkProductionDependencies } from '../support/production-node-modules';
import { descendants, isAlive, startProcess, waitUntil, type Started } from '../support/processes';
import { testDatabaseUrl } from '../support/temporal-env';

const stages = readDockerfile();
const runtime = stages.at(-1)!;
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { command?: string[] }>;
};
// The build stage stages its output in /out, which the runtime stage copies to /app.
const STAGING = /(?<![\w.])\/out\b/g;

/** Runs the build stage's `npm run build ...` step from the repository, staging into `app`. */
function runBuildStage(app: string): void {
  const step = stageNamed(stages, 'build').steps.find(
    (s) => s.kind === 'run' && /npm run build/.test(s.command),
  );
  if (step?.kind !== 'run') throw new Error('Dockerfile: the build stage has no `npm run build` step');
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', step.command.replace(STAGING, app)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`build step failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** Lays out the runtime stage in `app` (its /app) and returns the image's environment there. */
function assembleRuntimeStage(stage: DockerStage, app: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const step of effectiveSteps(stages, stage)) {
    if (step.kind === 'copy' && step.from === null) {
      for (const source of step.sources) {
        const target = copyTarget(step.destination, source);
        fs.mkdirSync(path.dirname(path.join(app, target)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, source), path.join(app, target));
      }
    } else if (step.kind === 'copy') {
      // Already in place: the build step staged straight into `app`.
      expect(step).toMatchObject({ from: 'build', sources: ['/out/'], destination: './' });
    } else if (step.kind === 'run' && /\bnpm ci\b/.test(step.command)) {
      expect(step.command).toMatch(/--omit=dev/);
      linkProductionDependencies(ROOT, app);
    } else if (step.kind === 'env') {
      for (const [k, v] of Object.entries(step.values)) env[k] = v.replace(/^\/app(?=\/|$)/, app);
    }
  }
  return env;
}

describe('the production image, built and run without Docker', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-image-'));
  const app = path.join(tmp, 'app');
  const taskQueue = `image-${process.pid}-${Date.now()}`;
  const processes: Started[] = [];
  let imageEnv: Record<string, string>;
  let server: DevServer;
  let pool: Pool;
  let admin: Pool;
  // A database of its own: definition versions other tests registered in the shared test
  // database would (rightly) make the worker refuse the prebuilt bundle, as a deployment would.
  const database = `kairos_image_${process.pid}`;
  let databaseUrl = '';

  /** Starts one of the image's commands in its /app, with only the image's environment and ours. */
  const startFromImage = (argv: string[], extra: Record<string, string>): Started => {
    const [command, ...args] = argv;
    const started = startProcess(command!, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ...imageEnv,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: server.address,
        KAIROS_TASK_QUEUE: taskQueue,
        KAIROS_EXIT_WITH_PARENT: '1',
        // The image runs with NODE_ENV=production, where the apps refuse to start without one.
        KAIROS_TRACKING_SECRET: 'image-e2e-tracking-secret-of-32-bytes!',
        ...extra,
      },
    });
    processes.push(started);
    return started;
  };

  beforeAll(async () => {
    runBuildStage(app);
    imageEnv = assembleRuntimeStage(runtime, app);
    fs.mkdirSync(imageEnv.KAIROS_OUTBOX_DIR!, { recursive: true });
    server = await startDevServer({ uiPort: null });
    admin = createPool(testDatabaseUrl(), 'kairos-image-e2e-admin', 1);
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    pool = createPool(databaseUrl, 'kairos-image-e2e', 2);
  }, 600_000);

  afterAll(async () => {
    for (const p of processes) {
      const pid = p.child.pid;
      if (pid === undefined) continue;
      for (const q of [pid, ...(isAlive(pid) ? descendants(pid) : [])]) {
        try {
          process.kill(q, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    await pool?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin?.end();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds compiled JavaScript and production packages only', () => {
    for (const dir of ['apps/gateway/src', 'apps/worker/src', 'libs/contracts/src', 'libs/triggers/src'])
      expect(fs.existsSync(path.join(app, dir))).toBe(false);
    for (const dev of ['typescript', '@swc-node/register', 'jest', '@temporalio/testing'])
      expect(fs.existsSync(path.join(app, 'node_modules', dev))).toBe(false);
    for (const prod of ['@nestjs/core', '@temporalio/worker', 'pg', '@kairos/codec'])
      expect(fs.existsSync(path.join(app, 'node_modules', prod))).toBe(true);
  });

  it('starts the compiled worker from the prebuilt bundle and the compiled gateway; an event is processed', async () => {
    const worker = startFromImage(compose.services.worker?.command ?? [], {});
    const gateway = startFromImage(
      runtime.steps.flatMap((s) => (s.kind === 'cmd' ? [s.argv] : [])).at(-1) ?? [],
      {
        HOST: '127.0.0.1',
        PORT: '0',
      },
    );
    const [startedLine] = await worker.waitFor(/^\{.*"worker started".*\}$/m, 90_000);
    const started = JSON.parse(startedLine) as { workflowBundle: string };
    expect(path.relative(app, started.workflowBundle)).toMatch(
      /^apps\/worker\/dist\/.+\/workflows\.bundle\.js$/,
    );
    const [, url] = await gateway.waitFor(/"gateway listening","url":"([^"]+)"/, 90_000);
    const base = url!;

    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    // The compiled gateway and worker must name their definitions by the same hash (the worker's
    // heartbeat may land a moment after its start line).
    let ready: { status: number; body: { definitions?: { status?: string } } } = { status: 0, body: {} };
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const res = await fetch(`${base}/health/ready`);
      ready = { status: res.status, body: (await res.json()) as typeof ready.body };
      if (ready.body.definitions?.status === 'match') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ok', temporal: 'up', postgres: 'up', definitions: { status: 'match' } },
    });

    const { key } = await new ApiKeysRepository(pool).create('image-e2e', ['events:write']);
    const customerId = `image-${Date.now()}`;
    const res = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        id: 'evt-image-1',
        customerId,
        name: 'cart.updated',
        properties: { cart_id: 'k1' },
      }),
    });
    expect(res.status).toBe(202);

    // Recorded by the worker's activity, run by the journey workflow from the prebuilt bundle.
    const events = new JourneyEventsRepository(pool);
    const rows = await waitUntil(
      async () => {
        const found = await events.listForCustomer(customerId);
        return found.length > 0 ? found : undefined;
      },
      60_000,
      'the journey event recorded by the compiled worker',
    );
    expect(rows.map((r) => [r.eventId, r.workflowId])).toEqual([['evt-image-1', `customer:${customerId}`]]);
  });
});
