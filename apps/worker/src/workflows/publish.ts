// What the Temporal Web UI shows: search attributes (upserted only when they change) and the
// workflow's current details (Markdown, read through the built-in metadata query, not history).
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { iso } from './journey-helpers';
import type { JourneyRun, Stage } from './journey-run';

/** Creates the publisher of one run: it remembers what it last upserted. */
export function createPublisher(run: JourneyRun): () => void {
  let last = '';
  return () => {
    const { state } = run;
    const active = [
      ...new Set([
        ...run.engine.partials().map((p) => p.triggerId),
        ...state.pending.map((p) => p.triggerId),
      ]),
    ].sort();
    run.stage = stageOf(run, active);
    // LastEventAt moves in whole minutes so a stream of events does not add an upsert per event.
    const lastMinute = state.lastEventAt === null ? null : Math.floor(state.lastEventAt / 60_000) * 60_000;
    const attrs = {
      stage: run.stage,
      active,
      lastTrigger: state.lastTrigger,
      lastMinute,
      pending: state.pending.length,
    };
    const json = JSON.stringify(attrs);
    if (json === last) return;
    last = json;
    upsertSearchAttributes([
      { key: { name: 'CustomerId', type: 'KEYWORD' }, value: run.customerId },
      { key: { name: 'JourneyStage', type: 'KEYWORD' }, value: run.stage },
      { key: { name: 'ActiveTriggers', type: 'KEYWORD_LIST' }, value: active },
      { key: { name: 'PendingResponses', type: 'INT' }, value: state.pending.length },
      ...(state.lastTrigger !== null
        ? [{ key: { name: 'LastTrigger', type: 'KEYWORD' as const }, value: state.lastTrigger }]
        : []),
      ...(lastMinute !== null
        ? [{ key: { name: 'LastEventAt', type: 'DATETIME' as const }, value: new Date(lastMinute) }]
        : []),
    ]);
    setCurrentDetails(details(run, active));
  };
}

function stageOf(run: JourneyRun, active: string[]): Stage {
  const { state } = run;
  if (state.escalations.length > 0) return 'escalated';
  if (state.pending.length > 0) return 'waiting';
  return active.length > 0 ? 'watching' : 'idle';
}

function details(run: JourneyRun, active: string[]): string {
  const { state } = run;
  const c = state.counters;
  return [
    `**Customer** ${run.customerId} — stage **${run.stage}**`,
    `Active triggers: ${active.length ? active.join(', ') : 'none'}`,
    `Pending responses: ${state.pending.map((p) => `${p.triggerId} at ${iso(p.runAt)}`).join('; ') || 'none'}`,
    `Open escalations: ${state.escalations.map((e) => `${e.triggerId} (level ${e.level}, SLA ${iso(e.deadline)})`).join('; ') || 'none'}`,
    `Last trigger: ${state.lastTrigger ?? 'none'}; events ${c.events}, duplicates ${c.duplicates}, late ${c.late}`,
  ].join('\n');
}
