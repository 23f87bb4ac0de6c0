// The set-up of gateway integration specs: a Temporal test server, Postgres (the run's database or
// one of the file's own), optionally a trigger folder of the file's own, and gateways on them.
import type { GatewayConfig } from '@kairos/gateway';
import { startTestGateway, type RunningGateway } from './gateway-harness';
import { createScratchDatabase } from './scratch-database';
import { Teardown } from './teardown';
import { removeTriggerFolder, writeTriggerFolder, type TriggerFolder } from './trigger-folder';

/** What the stack needs of a Temporal test environment (TestWorkflowEnvironment has it). */
export type StackTemporalEnv = { address: string; teardown(): Promise<void> };

export type GatewayStackOptions<E extends StackTemporalEnv> = {
  /** Starts the Temporal test server (test/support's createTimeSkippingEnv). */
  temporal: () => Promise<E>;
  /** The run's database (test/support's testDatabaseUrl()). */
  databaseUrl: string;
  /** Set: the gateways use a migrated database of their own, named after this prefix, dropped at close. */
  ownDatabase?: string;
  /** Set: the gateways load these triggers, from a temporary folder removed at close. */
  triggers?: TriggerFolder;
  /** Config of every gateway of the stack, over startTestGateway's defaults. */
  gateway?: Partial<GatewayConfig>;
};

export type GatewayStack<E extends StackTemporalEnv = StackTemporalEnv> = {
  env: E;
  /** The first gateway, started with the stack. */
  gateway: RunningGateway;
  /** One more gateway instance on the same Temporal server, database and config. */
  addGateway(): Promise<RunningGateway>;
  /** Closes the gateways, tears Temporal down, drops the own database and removes the folder. */
  close(): Promise<void>;
};

export async function startGatewayStack<E extends StackTemporalEnv>(
  options: GatewayStackOptions<E>,
): Promise<GatewayStack<E>> {
  const teardown = new Teardown();
  return teardown.guard(async () => {
    const triggersDir = options.triggers ? writeTriggerFolder(options.triggers) : undefined;
    if (triggersDir) teardown.add(() => removeTriggerFolder(triggersDir));
    // Started side by side, and both awaited before any failure is thrown, so that close undoes both.
    const [env, db] = await Promise.allSettled([
      teardown.track(options.temporal(), (e) => e.teardown()),
      options.ownDatabase
        ? teardown.track(createScratchDatabase(options.databaseUrl, options.ownDatabase), (d) => d.drop())
        : undefined,
    ]);
    if (env.status === 'rejected') throw env.reason;
    if (db.status === 'rejected') throw db.reason;
    const config = {
      databaseUrl: db.value?.url ?? options.databaseUrl,
      temporalAddress: env.value.address,
      ...(triggersDir ? { triggersDir } : {}),
      ...options.gateway,
    };
    const addGateway = async () => {
      const gateway = await startTestGateway(config);
      teardown.add(() => gateway.close());
      return gateway;
    };
    return { env: env.value, gateway: await addGateway(), addGateway, close: () => teardown.run() };
  });
}
