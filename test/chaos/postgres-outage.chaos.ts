import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Started } from '../support/processes';
import {
  killAllSpawned,
  startNode,
  stopProcess,
  postUntilAccepted,
  scenarioEvents,
  startStack,
  waitForAccounting,
  type Stack,
} from './stack';

afterAll(killAllSpawned);

const OUTAGE_MS = 30_000;

describe('chaos: PostgreSQL stopped for 30 s while journeys send', () => {
  let dataDir: string;
  let db: Started | undefined;
  let url: string;
  const startPg = async (port?: number): Promise<void> => {
    db = await startNode(
      'test/chaos/pg-server.ts',
      [path.join(dataDir, 'pg'), ...(port ? [String(port)] : [])],
      {},
      /pg ready (\S+)/,
    );
    url = /pg ready (\S+)/.exec(db.output())![1]!;
  };
  let stack: Stack;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-chaos-pg-'));
    await startPg();
    stack = await startStack({
      name: 'pg-outage',
      databaseUrl: url,
      sinkDelayMs: 100,
      // The key stays trusted through the outage, so the gateway keeps accepting events.
      gatewayEnv: { KAIROS_API_KEY_CACHE_MS: '600000' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (db) await stopProcess(db);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('activities retry through the outage and every event and response lands exactly once after recovery', async () => {
    const prefix = `cp-${Date.now()}-`;
    const before = scenarioEvents(prefix, 20, 0);
    const accepted = await Promise.all(before.map((e) => postUntilAccepted(stack.gatewayUrl, stack.key, e)));
    expect(accepted.every((r) => r.status === 'accepted')).toBe(true);

    await stopProcess(db!);
    const down = Date.now();
    // Events keep arriving during the outage: the gateway needs Temporal, not Postgres, to accept.
    const during = scenarioEvents(prefix, 20, 1);
    const duringResults = await Promise.all(
      during.map((e) => postUntilAccepted(stack.gatewayUrl, stack.key, e, 20_000)),
    ).catch((err: unknown) => {
      throw new Error(
        `${String(err)}\ngateway:\n${stack.gateway.output().slice(-3000)}\nworker:\n${stack.worker.output().slice(-3000)}`,
      );
    });
    expect(duringResults.every((r) => r.status === 'accepted')).toBe(true);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
    const midOutage = await stack.pool.query('SELECT 1').then(
      (): string => 'up',
      (): string => 'down',
    );
    expect(midOutage).toBe('down');
    await startPg(Number(new URL(url).port));

    const sent = [...before, ...during];
    const accounting = await waitForAccounting(stack, prefix, sent, 180_000);
    process.stdout.write(
      `chaos pg-outage: ${JSON.stringify({ outageMs: OUTAGE_MS, recoveredAfterMs: Date.now() - down, ...accounting })}\n`,
    );
    expect(stack.worker.child.exitCode).toBeNull();
    expect(accounting.missingEvents).toEqual([]);
    expect(accounting.events).toBe(sent.length);
    expect(accounting.deliveries).toBe(sent.length);
    expect(accounting.fired).toBe(sent.length);
    expect(accounting.delivered).toBe(sent.length);
    expect(accounting.duplicateAttribution).toBe(0);
    expect(accounting.providerDistinct).toBe(sent.length);
    expect(accounting.providerUnknown).toBe(0);
  });
});
