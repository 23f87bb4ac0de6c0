// While a worker runs, the hash of the definitions it loaded is kept fresh in worker_heartbeats,
// so each gateway can compare it with its own (docs/operations.md §10, /health/ready).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { State } from '@temporalio/worker';
import { WorkerHeartbeatsRepository } from '@kairos/persistence';
import type { Pool } from 'pg';

/** How often a running worker refreshes its row; gateways count a worker live for 3 periods. */
export const HEARTBEAT_PERIOD_MS = 15_000;
// The worker's state is read this often (no database call): beats start as soon as it runs and
// the row goes as soon as it stops.
const STATE_POLL_MS = 250;

export type DefinitionsHeartbeatOptions = {
  pool: Pool;
  namespace: string;
  taskQueue: string;
  hash: string;
  periodMs?: number;
  warn?: (message: string) => void;
};

/**
 * Beats as soon as the worker runs and then every period; stops (and removes the row) once the
 * worker stops or drains. Timers are unref'd: they never keep a process alive. A failed beat is
 * retried at the next period; a row not removed is forgotten after the gateways' live window.
 */
export function reportDefinitionsWhileRunning(
  worker: { getState(): State },
  options: DefinitionsHeartbeatOptions,
): void {
  const repo = new WorkerHeartbeatsRepository(options.pool);
  const period = options.periodMs ?? HEARTBEAT_PERIOD_MS;
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let failing = false;
  let lastBeat = 0;
  const tick = async (): Promise<void> => {
    const state = worker.getState();
    if (state !== 'INITIALIZED' && state !== 'RUNNING') {
      // Stopping (seen within STATE_POLL_MS, while the worker drains and its pool is still open).
      if (lastBeat > 0) await repo.leave(workerId).catch(() => undefined);
      return;
    }
    if (state === 'RUNNING' && Date.now() - lastBeat >= period) {
      try {
        await repo.beat({
          workerId,
          namespace: options.namespace,
          taskQueue: options.taskQueue,
          definitionsHash: options.hash,
        });
        failing = false;
      } catch (err) {
        // Logged once per outage: the beat is retried every period.
        if (!failing) options.warn?.(`definitions heartbeat failed, retrying: ${String(err).slice(0, 200)}`);
        failing = true;
      }
      lastBeat = Date.now();
    }
    schedule(STATE_POLL_MS);
  };
  const schedule = (ms: number): void => {
    setTimeout(() => void tick(), ms).unref();
  };
  schedule(0);
}
