// What the Temporal Web UI shows: search attributes, upserted only when one changes (the gateway
// sets the first values at start, so most passes upsert nothing), and the workflow's current
// details (Markdown, read through the built-in metadata query: not recorded in history).
import type { SearchAttributePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { JOURNEY_SEARCH_ATTRIBUTES as K, lastEventHour } from '@kairos/contracts';
import { iso } from './journey-helpers';
import type { JourneyRun, Stage } from './journey-run';

type Published = {
  customerId: string | undefined;
  stage: string | undefined;
  active: string[];
  pending: number | undefined;
  lastTrigger: string | undefined;
  lastEventAt: number | undefined;
};

/** What the run started with (given at start or carried over continue-as-new). */
function startedWith(): Published {
  const attrs = workflowInfo().typedSearchAttributes;
  return {
    customerId: attrs.get(K.customerId),
    stage: attrs.get(K.stage),
    active: attrs.get(K.activeTriggers) ?? [],
    pending: attrs.get(K.pendingResponses),
    lastTrigger: attrs.get(K.lastTrigger),
    lastEventAt: attrs.get(K.lastEventAt)?.getTime(),
  };
}

/** Creates the publisher of one run; call it at the end of every pass. */
export function createPublisher(run: JourneyRun): () => void {
  const published = startedWith();
  return () => {
    const { state } = run;
    // A send in flight is not waiting for anything: it shows once its outcome is in.
    const waiting = state.pending.filter((p) => p.state !== 'sending');
    const active = [
      ...new Set([...run.engine.partials().map((p) => p.triggerId), ...waiting.map((p) => p.triggerId)]),
    ].sort();
    run.stage = stageOf(run, waiting.length, active);
    const now: Published = {
      customerId: run.customerId,
      stage: run.stage,
      active,
      pending: waiting.length,
      lastTrigger: state.lastTrigger ?? undefined,
      lastEventAt: state.lastEventAt === null ? undefined : lastEventHour(state.lastEventAt).getTime(),
    };
    const changed = changes(published, now);
    if (changed.length > 0) {
      upsertSearchAttributes(changed);
      Object.assign(published, now);
    }
    setCurrentDetails(details(run, active));
  };
}

function changes(was: Published, now: Published): SearchAttributePair[] {
  const out: SearchAttributePair[] = [];
  if (now.customerId !== undefined && was.customerId !== now.customerId)
    out.push({ key: K.customerId, value: now.customerId });
  if (now.stage !== undefined && was.stage !== now.stage) out.push({ key: K.stage, value: now.stage });
  if (was.active.join('\n') !== now.active.join('\n')) out.push({ key: K.activeTriggers, value: now.active });
  if (now.pending !== undefined && was.pending !== now.pending)
    out.push({ key: K.pendingResponses, value: now.pending });
  if (now.lastTrigger !== undefined && was.lastTrigger !== now.lastTrigger)
    out.push({ key: K.lastTrigger, value: now.lastTrigger });
  if (now.lastEventAt !== undefined && was.lastEventAt !== now.lastEventAt)
    out.push({ key: K.lastEventAt, value: new Date(now.lastEventAt) });
  return out;
}

function stageOf(run: JourneyRun, waiting: number, active: string[]): Stage {
  if (run.state.escalations.length > 0) return 'escalated';
  if (waiting > 0) return 'waiting';
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
