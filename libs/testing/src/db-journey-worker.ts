// A kit worker whose journeys read profiles from Postgres (the gateway's `customers` table, as in
// production) with the kit's triggers plus a test's own: the set-up of journey specs on stored profiles.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { profileChangedSignal } from '@kairos/contracts';
import { createPool, CustomersRepository } from '@kairos/persistence';
import type { RawTrigger } from '@kairos/worker';
import { Customer } from './journey-customer';
import { KIT_TRIGGERS, kitDefinitions } from './journey-kit-definitions';
import { startKitWorker, tempOutbox } from './kit-worker';

/** What the kit needs of a Temporal test environment (TestWorkflowEnvironment has it). */
export type KitTemporalEnv = {
  nativeConnection: NativeConnection;
  client: Client;
  currentTimeMs(): Promise<number>;
};

export type DbJourneyWorker = {
  pool: Pool;
  taskQueue: string;
  /** A new customer (random id) driven as the gateway drives it, on the environment's clock. */
  customer(): Customer;
  /**
   * What the gateway does on PUT /v1/customers/{id}: stores the profile, then (unless `signal` is
   * false) signals the journey that it changed.
   */
  putProfile(c: Customer, profile: Record<string, unknown>, signal?: boolean): Promise<void>;
  /** Stops the worker and closes the pool (the caller tears the environment down). */
  stop(): Promise<void>;
};

export async function startDbJourneyWorker(
  env: KitTemporalEnv,
  databaseUrl: string,
  name: string,
  triggers: RawTrigger[],
): Promise<DbJourneyWorker> {
  const pool = createPool(databaseUrl);
  const taskQueue = `${name}-${randomUUID()}`;
  const worker = await startKitWorker(env.nativeConnection, pool, taskQueue, {
    outboxDir: tempOutbox(),
    profiles: undefined,
    definitions: kitDefinitions({ triggers: [...KIT_TRIGGERS, ...triggers] }),
  });
  const customers = new CustomersRepository(pool);
  return {
    pool,
    taskQueue,
    putProfile: async (c, profile, signal = true) => {
      const stored = await customers.upsert(c.id, profile);
      if (signal)
        await c.signal(profileChangedSignal, {
          v: 1,
          customerId: c.id,
          changedAt: stored.updatedAt.getTime(),
        });
    },
    customer: () =>
      new Customer(env.client, taskQueue, `c-${randomUUID().slice(0, 8)}`, () => env.currentTimeMs(), pool),
    stop: async () => {
      await worker.stop();
      await pool.end();
    },
  };
}
