// Escalations to a human: opened by a match's `escalate`, closed by an ack, or moved on to
// `then` (once) when the SLA passes without one. Their writes run beside the loop (never
// blocking intake); the journey shows `escalated` until they are done.
import { log } from '@temporalio/workflow';
import type { OpenEscalationInput } from '../activities';
import { iso } from './journey-helpers';
import { openEscalation, resolveEscalation } from './journey-activities';
import type { JourneyRun } from './journey-run';
import type { Escalation } from './journey-state';

export type EscalationStart = {
  matchId: string;
  triggerId: string;
  version: number;
  level: number;
  target: string;
  then: string | null;
  slaMs: number;
};

type Opened = { input: OpenEscalationInput; start: EscalationStart; escalationId: string };

/** Opens an escalation (row + chat message) beside the loop; its SLA runs from now. */
export function startEscalation(run: JourneyRun, start: EscalationStart): void {
  const input = openInput(run, start);
  run.inFlight.track(
    openEscalation(input),
    (r) => opened(run, { input, start, escalationId: r.escalationId }),
    (err) => failed(run, start, err),
  );
}

function openInput(run: JourneyRun, e: EscalationStart): OpenEscalationInput {
  return {
    matchId: e.matchId,
    customerId: run.customerId,
    workflowId: run.workflowId,
    triggerId: e.triggerId,
    level: e.level,
    target: e.target,
    slaDeadline: Date.now() + e.slaMs,
    summary: `Trigger ${e.triggerId} needs a human (level ${e.level})`,
  };
}

function opened(run: JourneyRun, { input, start, escalationId }: Opened): void {
  const { target, ...kept } = start;
  run.state.escalations.push({
    ...kept,
    id: escalationId,
    deadline: input.slaDeadline,
    summary: input.summary,
  });
  run.attribute({
    matchId: start.matchId,
    triggerId: start.triggerId,
    triggerVersion: start.version,
    kind: 'escalated',
    channel: `level-${start.level}`,
    at: Date.now(),
    details: { target, escalationId },
  });
  run.remember({
    matchId: start.matchId,
    triggerId: start.triggerId,
    at: iso(Date.now()),
    status: 'escalated',
    reason: `to ${target}`,
    channel: `escalation-${start.level}`,
  });
}

function failed(
  run: JourneyRun,
  e: { matchId: string; triggerId: string; level: number },
  err: unknown,
): void {
  log.error('escalation write failed after its retries', { matchId: e.matchId, error: String(err) });
  run.remember({
    matchId: e.matchId,
    triggerId: e.triggerId,
    at: iso(Date.now()),
    status: 'failed',
    reason: String(err).slice(0, 200),
    channel: `escalation-${e.level}`,
  });
}

/** Acknowledgements received: the row is marked acked, then the journey stops waiting. */
export function applyAcks(run: JourneyRun): void {
  for (const a of run.state.acks.splice(0)) {
    const e = run.state.escalations.find((x) => x.id === a.escalationId && !x.closing);
    if (!e) continue;
    e.closing = true;
    run.inFlight.track(
      resolveEscalation({ escalationId: e.id, status: 'acked', by: a.by, outcome: a.outcome, at: a.at }),
      () => {
        close(run, e);
        run.remember({
          ...entryOf(e),
          status: 'acknowledged',
          reason: `${a.outcome} by ${a.by}`,
        });
      },
      (err) => {
        e.closing = false;
        failed(run, e, err);
      },
    );
  }
}

/** Escalations past their SLA expire and go to `then`, once: both writes done, then recorded. */
export function expireEscalations(run: JourneyRun, now: number): void {
  for (const e of run.state.escalations.filter((x) => x.deadline <= now && !x.closing)) {
    e.closing = true;
    const next: EscalationStart | null =
      e.then === null
        ? null
        : {
            ...entryIds(e),
            version: e.version,
            level: e.level + 1,
            target: e.then,
            then: null,
            slaMs: e.slaMs,
          };
    const input = next === null ? null : openInput(run, next);
    const work = resolveEscalation({ escalationId: e.id, status: 'expired', at: now }).then(async () =>
      input === null ? null : (await openEscalation(input)).escalationId,
    );
    run.inFlight.track(
      work,
      (escalationId) => {
        close(run, e);
        run.remember({ ...entryOf(e), at: iso(now), status: 'expired', reason: 'SLA passed without ack' });
        if (next !== null && input !== null && escalationId !== null)
          opened(run, { input, start: next, escalationId });
      },
      (err) => {
        e.closing = false;
        failed(run, e, err);
      },
    );
  }
}

function close(run: JourneyRun, e: Escalation): void {
  const i = run.state.escalations.indexOf(e);
  if (i >= 0) run.state.escalations.splice(i, 1);
}

const entryIds = (e: Escalation) => ({ matchId: e.matchId, triggerId: e.triggerId });
const entryOf = (e: Escalation) => ({
  ...entryIds(e),
  at: iso(Date.now()),
  channel: `escalation-${e.level}`,
});
