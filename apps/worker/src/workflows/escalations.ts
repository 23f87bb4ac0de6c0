// Escalations to a human: opened by a match's `escalate`, closed by an ack, or moved on to
// `then` (once) when the SLA passes without one.
import { iso } from './journey-helpers';
import { openEscalation, resolveEscalation } from './journey-activities';
import type { JourneyRun } from './journey-run';

export type EscalationStart = {
  matchId: string;
  triggerId: string;
  version: number;
  level: number;
  target: string;
  then: string | null;
  slaMs: number;
};

/** Opens an escalation (row + chat message) and waits for its SLA. */
export async function startEscalation(run: JourneyRun, e: EscalationStart): Promise<void> {
  const deadline = Date.now() + e.slaMs;
  const summary = `Trigger ${e.triggerId} needs a human (level ${e.level})`;
  const r = await openEscalation({
    matchId: e.matchId,
    customerId: run.customerId,
    workflowId: run.workflowId,
    triggerId: e.triggerId,
    level: e.level,
    target: e.target,
    slaDeadline: deadline,
    summary,
  });
  const { target, ...kept } = e;
  run.state.escalations.push({ ...kept, id: r.escalationId, deadline, summary });
  run.attribute({
    matchId: e.matchId,
    triggerId: e.triggerId,
    triggerVersion: e.version,
    kind: 'escalated',
    channel: `level-${e.level}`,
    at: Date.now(),
    details: { target, escalationId: r.escalationId },
  });
  run.remember({
    matchId: e.matchId,
    triggerId: e.triggerId,
    at: iso(Date.now()),
    status: 'escalated',
    reason: `to ${target}`,
    channel: `escalation-${e.level}`,
  });
}

/** Acknowledgements received: the journey stops waiting and the row is marked acked. */
export async function applyAcks(run: JourneyRun): Promise<void> {
  const escalations = run.state.escalations;
  for (const a of run.state.acks.splice(0)) {
    const e = escalations.find((x) => x.id === a.escalationId);
    if (!e) continue;
    escalations.splice(escalations.indexOf(e), 1);
    await resolveEscalation({ escalationId: e.id, status: 'acked', by: a.by, outcome: a.outcome, at: a.at });
    run.remember({
      matchId: e.matchId,
      triggerId: e.triggerId,
      at: iso(Date.now()),
      status: 'acknowledged',
      reason: `${a.outcome} by ${a.by}`,
      channel: `escalation-${e.level}`,
    });
  }
}

/** Escalations past their SLA expire and go to `then`, once. */
export async function expireEscalations(run: JourneyRun, now: number): Promise<void> {
  const escalations = run.state.escalations;
  for (const e of escalations.filter((x) => x.deadline <= now)) {
    escalations.splice(escalations.indexOf(e), 1);
    await resolveEscalation({ escalationId: e.id, status: 'expired', at: now });
    run.remember({
      matchId: e.matchId,
      triggerId: e.triggerId,
      at: iso(now),
      status: 'expired',
      reason: 'SLA passed without ack',
      channel: `escalation-${e.level}`,
    });
    if (e.then !== null)
      await startEscalation(run, {
        matchId: e.matchId,
        triggerId: e.triggerId,
        version: e.version,
        level: e.level + 1,
        target: e.then,
        then: null,
        slaMs: e.slaMs,
      });
  }
}
