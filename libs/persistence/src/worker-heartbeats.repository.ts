import type { Pool } from 'pg';

export type WorkerHeartbeat = {
  workerId: string;
  namespace: string;
  taskQueue: string;
  definitionsHash: string;
};

/** One definitions hash and how many live workers run it. */
export type LiveDefinitions = { hash: string; workers: number };

// Rows not refreshed for a day are deleted by the next beat of any worker: the table stays small.
const FORGET_AFTER = '1 day';

/** The definitions hash each running worker loaded (written by workers, read by gateways). */
export class WorkerHeartbeatsRepository {
  constructor(private readonly pool: Pool) {}

  /** Records that the worker runs now with this hash (first beat sets started_at). */
  async beat(w: WorkerHeartbeat): Promise<void> {
    await this.pool.query(
      `INSERT INTO worker_heartbeats (worker_id, namespace, task_queue, definitions_hash)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (worker_id) DO UPDATE SET definitions_hash = EXCLUDED.definitions_hash, seen_at = now()`,
      [w.workerId, w.namespace, w.taskQueue, w.definitionsHash],
    );
    await this.pool.query(`DELETE FROM worker_heartbeats WHERE seen_at < now() - interval '${FORGET_AFTER}'`);
  }

  /** A worker that stops cleanly leaves at once instead of after the live window. */
  async leave(workerId: string): Promise<void> {
    await this.pool.query('DELETE FROM worker_heartbeats WHERE worker_id = $1', [workerId]);
  }

  /** The hashes of the workers of a queue seen within the last `withinMs`, most workers first. */
  async live(namespace: string, taskQueue: string, withinMs: number): Promise<LiveDefinitions[]> {
    const r = await this.pool.query<{ hash: string; workers: string }>(
      `SELECT definitions_hash AS hash, count(*) AS workers FROM worker_heartbeats
       WHERE namespace = $1 AND task_queue = $2 AND seen_at > now() - make_interval(secs => $3::double precision / 1000)
       GROUP BY definitions_hash ORDER BY count(*) DESC, definitions_hash`,
      [namespace, taskQueue, withinMs],
    );
    return r.rows.map((x) => ({ hash: x.hash, workers: Number(x.workers) }));
  }
}
