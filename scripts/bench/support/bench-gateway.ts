/**
 * The gateway as the in-process benchmarks run it: an embedded PostgreSQL (migrated), optionally
 * a Temporal dev server, one API key, and the gateway listening on a free port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TASK_QUEUE } from '@kairos/contracts';
import { createGateway, type GatewayConfig } from '@kairos/gateway';
import { ApiKeysRepository, createPool, runMigrations, type ApiKeyScope } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';
import { startDevServer } from '../../support/dev-server';

export type BenchGateway = {
  /** `http://127.0.0.1:<port>` */
  base: string;
  key: string;
  /** The dev server, when one was asked for. */
  temporal: { address: string; namespace: string } | null;
  /** Stops the gateway, the servers, and removes the work folder. */
  stop(): Promise<void>;
};

export async function startBenchGateway(options: {
  name: string;
  triggersDir: string;
  scopes: ApiKeyScope[];
  withTemporal: boolean;
  /** Default: Kairos' own task queue. */
  taskQueue?: string;
}): Promise<BenchGateway> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `kairos-bench-${options.name}-`));
  const cleanups: (() => Promise<unknown>)[] = [
    async () => fs.rmSync(work, { recursive: true, force: true }),
  ];
  const stop = async (): Promise<void> => {
    for (const c of cleanups.splice(0)) await c().catch(() => undefined);
  };
  try {
    const db = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false });
    cleanups.unshift(() => db.stop());
    const temporal = options.withTemporal ? await startDevServer({ uiPort: null }) : null;
    if (temporal) cleanups.unshift(() => temporal.stop());
    await runMigrations(db.url);
    const pool = createPool(db.url, 'kairos-bench', 1);
    const key = (await new ApiKeysRepository(pool).create('bench', options.scopes)).key;
    await pool.end();
    const config: GatewayConfig = Object.freeze({
      port: 0,
      host: '127.0.0.1',
      // Without a dev server the address is never dialled (the connection is lazy).
      temporalAddress: temporal?.address ?? '127.0.0.1:7233',
      namespace: temporal?.namespace ?? 'default',
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      databaseUrl: db.url,
      logLevel: 'warn',
      triggersDir: options.triggersDir,
      rateLimitPerMin: 10_000_000,
      temporalTimeoutMs: 10_000,
      retryAfterS: 5,
      dedupeCacheSize: 100_000,
      apiKeyCacheMs: 60_000,
      volumeFlushMs: 2_000,
    });
    const app = await createGateway(config);
    await app.listen(0, '127.0.0.1');
    cleanups.unshift(() => app.close());
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      base: `http://127.0.0.1:${port}`,
      key,
      temporal: temporal ? { address: temporal.address, namespace: temporal.namespace } : null,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
