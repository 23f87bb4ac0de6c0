// Attribution rows ride on the activities a pass runs anyway (decisions, sends); what is left is
// written by one local activity per workflow task at most. Rows a failed write carried go back
// to the queue: the log is idempotent per (match, kind, channel), so a retry never doubles one.
import { log } from '@temporalio/workflow';
import type { AttributionInput } from '../activities';
import { logAttribution } from './journey-activities';
import type { JourneyRun } from './journey-run';

/** An activity input stays far below Temporal's 256 KiB limit: rows are handed over by bytes. */
const MAX_BYTES = 64 * 1024;
/** Rows kept while Postgres is unreachable; beyond it the oldest are dropped (and logged). */
const MAX_QUEUED = 2_000;

/** Takes queued rows, up to MAX_BYTES of them, for an activity input. */
export function takeAttribution(run: JourneyRun): AttributionInput[] {
  const queue = run.state.attribution;
  let bytes = 0;
  let n = 0;
  while (n < queue.length) {
    bytes += JSON.stringify(queue[n]).length;
    if (bytes > MAX_BYTES && n > 0) break;
    n += 1;
  }
  return queue.splice(0, n);
}

/** Puts back the rows of a write that failed. */
export function requeueAttribution(run: JourneyRun, rows: AttributionInput[]): void {
  const queue = run.state.attribution;
  queue.unshift(...rows);
  if (queue.length > MAX_QUEUED) {
    const dropped = queue.splice(0, queue.length - MAX_QUEUED);
    log.error('attribution rows dropped: the log could not be written', { dropped: dropped.length });
  }
}

/** Writes what no activity of this pass carried: one local activity, not awaited by the loop. */
export function flushAttribution(run: JourneyRun): void {
  if (run.state.attribution.length === 0) return;
  const rows = takeAttribution(run);
  run.inFlight.track(
    logAttribution(rows),
    () => undefined,
    (err) => {
      log.warn('attribution not written yet; retried on the next pass', { error: String(err) });
      requeueAttribution(run, rows);
    },
  );
}
