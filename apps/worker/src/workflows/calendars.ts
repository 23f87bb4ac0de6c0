// Date and schedule triggers in the journey (docs/triggers.md §3.12-§3.13): the matcher holds each
// one's next instant and fires it through the journey's single timer; the instants come from one
// local activity (time-zone and cron arithmetic run in Node, recorded in history), asked only when
// a trigger was never armed, just fired, or the profile changed.
import { log } from '@temporalio/workflow';
import { applyArmings, armRequests, type ArmRequest } from '@kairos/triggers';
import type { JourneyView } from '@kairos/contracts';
import { requeueAttribution, takeAttribution } from './attribution';
import { iso } from './journey-helpers';
import { nextInstants } from './journey-activities';
import type { JourneyRun } from './journey-run';

/**
 * Whether a profile change waits to re-arm date and schedule triggers: wakes the loop. Journeys
 * without such triggers stay asleep, as before they existed (their recorded histories replay).
 */
export function calendarsStale(run: JourneyRun): boolean {
  return run.state.calendarsStale === true && run.engine.calendars().length > 0;
}

/** Arms what needs arming; a promise only when an instant must be computed. */
export function armCalendars(run: JourneyRun, now: number): Promise<void> | undefined {
  const all = run.state.calendarsStale === true;
  const requests = armRequests(run.engine, run.set.triggers, now, all);
  if (all) delete run.state.calendarsStale;
  if (requests.length === 0) return undefined;
  return compute(run, requests, all);
}

async function compute(run: JourneyRun, requests: ArmRequest[], all: boolean): Promise<void> {
  const attribution = takeAttribution(run);
  try {
    const decision = await nextInstants({
      customerId: run.customerId,
      profile: run.profileForDecision(),
      attribution,
      requests,
      ...(run.set.policy.timezone !== undefined ? { defaultZone: run.set.policy.timezone } : {}),
    });
    run.learnProfile(decision.profile);
    applyArmings(run.engine, decision.armings);
  } catch (err) {
    // Left unarmed (or on its previous instant): the next pass asks again.
    requeueAttribution(run, attribution);
    if (all) run.state.calendarsStale = true;
    log.warn('date and schedule triggers not armed yet; retried on the next pass', { error: String(err) });
  }
}

/** The journey view's `timeTriggers`. */
export function timeTriggersView(run: JourneyRun | null): NonNullable<JourneyView['timeTriggers']> {
  return (run?.engine.calendars() ?? []).map((c) => ({
    triggerId: c.triggerId,
    kind: c.kind,
    pendingAt: c.at === null ? null : iso(c.at),
    lastAt: c.lastAt === null ? null : iso(c.lastAt),
    ...(c.note !== undefined ? { note: c.note } : {}),
  }));
}
