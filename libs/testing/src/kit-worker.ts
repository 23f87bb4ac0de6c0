// A real Kairos worker over real Postgres with the kit's inline definitions and in-memory profiles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createKairosWorker, type KairosWorkerOptions } from '@kairos/worker';
import { kitDefinitions } from './journey-kit-definitions';
import { MemoryProfiles } from './memory-profiles';

/** A fresh outbox folder under the OS temp dir (one JSON file per delivery). */
export function tempOutbox(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-outbox-'));
}

export async function startKitWorker(
  connection: NativeConnection,
  pool: Pool,
  taskQueue: string,
  extra: Partial<KairosWorkerOptions> = {},
): Promise<{ worker: Worker; running: Promise<void>; stop: () => Promise<void> }> {
  const worker = await createKairosWorker({
    connection,
    namespace: 'default',
    taskQueue,
    pool,
    definitions: kitDefinitions(),
    outboxDir: tempOutbox(),
    profiles: new MemoryProfiles(),
    ...extra,
  });
  const running = worker.run();
  return {
    worker,
    running,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
