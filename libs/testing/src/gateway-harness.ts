import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import { ApiKeysRepository, createPool, type ApiKeyScope } from '@kairos/persistence';
import { createGateway, createGatewayLogger, type GatewayConfig } from '@kairos/gateway';

/** The trigger set used by the gateway's tests (cart.updated, order.placed, exit and conversion names). */
export const FIXTURE_TRIGGERS_DIR = path.join(__dirname, 'fixtures', 'triggers');

export type RunningGateway = {
  app: NestFastifyApplication;
  url: string;
  pool: Pool;
  config: GatewayConfig;
  /** Creates an API key with these scopes and returns its plaintext. */
  key(scopes: ApiKeyScope[], name?: string): Promise<string>;
  /** The log lines written so far (JSON), when started with `captureLog`. */
  logLines: string[];
  close(): Promise<void>;
};

/** What startTestGateway takes: its config over the test defaults, and whether to keep the log. */
export type TestGatewayOverrides = Partial<GatewayConfig> & { databaseUrl: string; temporalAddress: string };
export type ServeOptions = { captureLog?: boolean };

/**
 * A gateway listening on a free port (test and bench helper), with a pool on the same database.
 * `captureLog` keeps its log lines (at `logLevel`, default info) in `logLines` instead of stdout.
 */
export async function startTestGateway(
  overrides: TestGatewayOverrides,
  options: ServeOptions = {},
): Promise<RunningGateway> {
  const config: GatewayConfig = Object.freeze({
    port: 0,
    host: '127.0.0.1',
    namespace: 'default',
    taskQueue: 'kairos-gateway-test',
    logLevel: 'silent',
    triggersDir: FIXTURE_TRIGGERS_DIR,
    rateLimitPerMin: 100_000,
    temporalTimeoutMs: 5_000,
    retryAfterS: 5,
    dedupeCacheSize: 10_000,
    apiKeyCacheMs: 0,
    volumeFlushMs: 60_000,
    ...(options.captureLog ? { logLevel: 'info' as const } : {}),
    ...overrides,
  });
  return serveGateway(config, options);
}

/**
 * Serves a complete config (one from loadGatewayConfig, say) the way startTestGateway serves its
 * own: on a free loopback port whatever `config.port` says, with a pool on `config.databaseUrl`.
 */
export async function serveGateway(
  config: GatewayConfig,
  options: ServeOptions = {},
): Promise<RunningGateway> {
  const logLines: string[] = [];
  const capture = { write: (line: string) => void logLines.push(line) };
  const app = await createGateway(
    config,
    options.captureLog ? { logger: createGatewayLogger(config, capture) } : {},
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const pool = createPool(config.databaseUrl, 'kairos-gateway-test', 2);
  const keys = new ApiKeysRepository(pool);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    pool,
    config,
    key: async (scopes, name = 'test') => (await keys.create(name, scopes)).key,
    logLines,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}
