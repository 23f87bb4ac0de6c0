import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '@kairos/persistence';
import { descendants, isAlive, startProcess, waitUntil } from '../support/processes';

const ROOT = path.resolve(__dirname, '..', '..');

const started: { pid: number; tree: () => number[] }[] = [];

// A failed assertion must not leave servers behind: kill whatever is still alive.
afterAll(() => {
  for (const s of started) {
    for (const pid of [s.pid, ...s.tree()]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
});

type Run = { gateway: string; ui: string; key: string; stop: () => Promise<number[]> };

/** Runs the real `npm start` (dev server, Postgres, worker, gateway) on free ports in a temp data dir. */
async function npmStart(extraEnv: NodeJS.ProcessEnv): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-e2e-'));
  const [port, temporalPort, uiPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAIROS_DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    ...extraEnv,
  };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  const proc = startProcess('npm', ['start'], { cwd: ROOT, env });
  let lastTree: number[] = [];
  started.push({
    pid: proc.child.pid!,
    tree: () => (isAlive(proc.child.pid!) ? (lastTree = descendants(proc.child.pid!)) : lastTree),
  });
  const keyLine = await proc.waitFor(/dev API key\s+(\S+)/, 90_000);
  return {
    gateway: `http://127.0.0.1:${port}`,
    ui: `http://127.0.0.1:${uiPort}`,
    key: keyLine[1]!,
    stop: async () => {
      const tree = descendants(proc.child.pid!);
      const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
      proc.child.kill('SIGINT');
      await exited;
      // Give the OS a moment to reap; then every process of the tree must be gone.
      await waitUntil(
        async () => (tree.every((p) => !isAlive(p)) ? true : undefined),
        20_000,
        'children to exit',
      ).catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return tree.filter((p) => isAlive(p));
    },
  };
}

async function postEvent(run: Run, body: unknown): Promise<Response> {
  return fetch(`${run.gateway}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${run.key}` },
    body: JSON.stringify(body),
  });
}

describe('npm start (real dev server, Postgres, worker and gateway processes)', () => {
  it('with embedded Postgres: an event signal-starts a journey the Web UI lists, and SIGINT leaves no process behind', async () => {
    const run = await npmStart({});
    let leftover: number[] = [];
    try {
      const ready = await fetch(`${run.gateway}/health/ready`);
      expect(ready.status).toBe(200);
      const customerId = `e2e-${Date.now()}`;
      const res = await postEvent(run, {
        id: 'evt-1',
        customerId,
        name: 'cart.updated',
        properties: { cart_id: 'k1' },
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ id: 'evt-1', workflowId: `customer:${customerId}` });
      // The Web UI's own API lists the journey by its CustomerId search attribute.
      const query = encodeURIComponent(`CustomerId="${customerId}"`);
      const listed = await waitUntil(
        async () => {
          const r = await fetch(`${run.ui}/api/v1/namespaces/default/workflows?query=${query}`);
          const body = (await r.json()) as { executions?: { execution: { workflowId: string } }[] };
          return body.executions?.length ? body.executions : undefined;
        },
        30_000,
        'the Web UI to list the journey',
      );
      expect(listed.map((e) => e.execution.workflowId)).toEqual([`customer:${customerId}`]);
    } finally {
      leftover = await run.stop();
    }
    expect(leftover).toEqual([]);
  });

  it('with DATABASE_URL: the worker activity writes the event row to that Postgres', async () => {
    const databaseUrl = process.env.KAIROS_TEST_DATABASE_URL!;
    const run = await npmStart({ DATABASE_URL: databaseUrl });
    let leftover: number[] = [];
    const customerId = `e2e-db-${Date.now()}`;
    try {
      const res = await postEvent(run, {
        id: 'evt-db-1',
        customerId,
        name: 'cart.updated',
        properties: { cart_id: 'k2' },
      });
      expect(res.status).toBe(202);
      const rows = await waitUntil(
        async () => {
          const pg = new Client({ connectionString: databaseUrl });
          await pg.connect();
          try {
            const r = await pg.query<{ event_id: string; workflow_id: string }>(
              'SELECT event_id, workflow_id FROM journey_events WHERE customer_id = $1',
              [customerId],
            );
            return r.rows.length ? r.rows : undefined;
          } finally {
            await pg.end();
          }
        },
        60_000,
        'the journey_events row',
      );
      expect(rows).toEqual([{ event_id: 'evt-db-1', workflow_id: `customer:${customerId}` }]);
    } finally {
      leftover = await run.stop();
    }
    expect(leftover).toEqual([]);
  });
});
