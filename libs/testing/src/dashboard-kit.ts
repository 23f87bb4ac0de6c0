// The set-up of the /dashboard e2e tests: a gateway as `npm start` configures it (from its
// environment) on the test Postgres, without Temporal, the test's rows, and a headless Chromium.
import type { Pool } from 'pg';
import { loadGatewayConfig } from '@kairos/gateway';
import { serveGateway, type RunningGateway } from './gateway-harness';
import { launchHeadlessBrowser, type HeadlessBrowser } from './headless-browser';
import { Teardown } from './teardown';
import { removeTriggerFolder, writeTriggerFolder, type TriggerFolder } from './trigger-folder';

export type DashboardKitOptions = {
  /** The run's database (test/support's testDatabaseUrl()). */
  databaseUrl: string;
  /** Gateway environment variables beyond the database, port, Temporal address and log level. */
  env?: Record<string, string>;
  /** Set: the gateway loads these triggers (KAIROS_TRIGGERS_DIR), from a folder removed at close. */
  triggers?: TriggerFolder;
  /** Writes the test's rows, once the gateway runs and before the browser starts. */
  seed(pool: Pool): Promise<void>;
};

export type DashboardKit = {
  gateway: RunningGateway;
  /** A key with reports:read, the dashboard's scope. */
  key: string;
  browser: HeadlessBrowser;
  /** Closes the browser and the gateway and removes the trigger folder. */
  close(): Promise<void>;
};

export async function startDashboardKit(options: DashboardKitOptions): Promise<DashboardKit> {
  const teardown = new Teardown();
  return teardown.guard(async () => {
    const triggersDir = options.triggers ? writeTriggerFolder(options.triggers) : undefined;
    if (triggersDir) teardown.add(() => removeTriggerFolder(triggersDir));
    const config = loadGatewayConfig({
      DATABASE_URL: options.databaseUrl,
      PORT: '0',
      // Never dialled: the dashboard reads Postgres only, and the Temporal connection is lazy.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      LOG_LEVEL: 'silent',
      ...(triggersDir ? { KAIROS_TRIGGERS_DIR: triggersDir } : {}),
      ...options.env,
    });
    const gateway = await teardown.track(serveGateway(config), (g) => g.close());
    const key = await gateway.key(['reports:read'], 'dashboard');
    await options.seed(gateway.pool);
    const browser = await teardown.track(launchHeadlessBrowser({ width: 1400, height: 1000 }), (b) =>
      b.close(),
    );
    return { gateway, key, browser, close: () => teardown.run() };
  });
}
