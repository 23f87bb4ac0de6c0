import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from '@kairos/testing';
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

type Run = {
  gateway: string;
  ui: string;
  key: string;
  dataDir: string;
  /** SIGINT, then the pids of the tree still alive; `keepData` leaves the data dir for later checks. */
  stop: (options?: { keepData?: boolean }) => Promise<number[]>;
};

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
    dataDir,
    stop: async (options = {}) => {
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
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
      return tree.filter((p) => isAlive(p));
    },
  };
}

async function postEvent(run: Run, body: unknown, key = run.key): Promise<Response> {
  return fetch(`${run.gateway}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

/** `npm run apikey -- <args> --json` as a user runs it: no DATABASE_URL, npm start's data folder. */
async function apikey(dataDir: string, args: string[]): Promise<unknown> {
  const env: NodeJS.ProcessEnv = { ...process.env, KAIROS_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'apikey', '--', ...args, '--json'], {
    cwd: ROOT,
    env,
  });
  return JSON.parse(stdout);
}

describe('npm start with embedded Postgres (one stack, these steps in order)', () => {
  let run: Run;
  beforeAll(async () => {
    run = await npmStart({});
  }, 120_000);
  afterAll(() => {
    if (run) fs.rmSync(run.dataDir, { recursive: true, force: true });
  });

  it('an event signal-starts a journey the Web UI lists', async () => {
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
  });

  it('npm run apikey with no DATABASE_URL writes to its running PostgreSQL: the gateway accepts the key', async () => {
    const created = (await apikey(run.dataDir, [
      'create',
      '--name',
      'beside-start',
      '--scopes',
      'events:write',
    ])) as {
      key: string;
    };
    expect(created.key).not.toBe(run.key);
    const body = { id: 'evt-key', customerId: `e2e-key-${Date.now()}`, name: 'cart.updated', properties: {} };
    expect((await postEvent(run, body, created.key)).status).toBe(202);
    expect((await postEvent(run, { ...body, id: 'evt-bad' }, `${created.key}x`)).status).toBe(401);
  });

  it('SIGINT leaves no process behind', async () => {
    expect(await run.stop({ keepData: true })).toEqual([]);
  });

  it('npm run apikey on the stopped data folder runs its PostgreSQL for the command only', async () => {
    const created = (await apikey(run.dataDir, [
      'create',
      '--name',
      'while-stopped',
      '--scopes',
      'reports:read',
    ])) as {
      id: string;
    };
    const listed = (await apikey(run.dataDir, ['list'])) as {
      id: string;
      name: string;
      revokedAt: unknown;
    }[];
    expect(listed.map((k) => k.name)).toEqual(['development', 'beside-start', 'while-stopped']);
    expect(listed.find((k) => k.id === created.id)?.revokedAt).toBeNull();
    // Stopped again: no server holds the folder (PostgreSQL removes postmaster.pid on shutdown).
    expect(fs.existsSync(path.join(run.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });
});

describe('npm start with a data folder it cannot use', () => {
  it('fails at once with one line naming the folder and the fix', async () => {
    // 0500: as root, the postgres user PostgreSQL runs as cannot enter it (the reported 0700
    // case, no o+x either); as any other user, it cannot be written. Either way: one line, now.
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-e2e-priv-'));
    fs.chmodSync(base, 0o500);
    const env: NodeJS.ProcessEnv = { ...process.env, KAIROS_DATA_DIR: path.join(base, 'data') };
    delete env.DATABASE_URL;
    const startedAt = Date.now();
    try {
      const failure = await promisify(execFile)('npm', ['run', '-s', 'start'], { cwd: ROOT, env }).then(
        () => null,
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
      expect(failure?.code).toBe(1);
      expect(Date.now() - startedAt).toBeLessThan(15_000);
      const lines = failure!.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^KAIROS_DATA_DIR: .*${base}.*; fix: `));
      expect(failure!.stdout).not.toContain('starting Temporal');
      expect(fs.readdirSync(base)).toEqual([]);
    } finally {
      fs.chmodSync(base, 0o700);
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('npm start with DATABASE_URL', () => {
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
