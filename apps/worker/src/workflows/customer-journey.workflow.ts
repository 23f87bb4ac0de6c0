import { condition, workflowInfo } from '@temporalio/workflow';
import type { JourneyInput, JourneyInputV2 } from '@kairos/contracts';
import { flushAttribution } from './attribution';
import { expireConversions } from './conversions';
import { continueWithNextRun, timeToContinue } from './continuation';
import { openDefinitions } from './definitions';
import { hasDueResponse, runDueResponses } from './delivery';
import { applyAcks, expireEscalations } from './escalations';
import { armCalendars, calendarsStale } from './calendars';
import { feedScores, scoresStale } from './scores';
import { hasSignals, registerIntake } from './intake';
import { registerJourneyQuery } from './journey-query';
import { registerJourneyTrace } from './journey-trace';
import { JourneyRun } from './journey-run';
import { restoreJourneyState } from './journey-state';
import { advanceDeadlines, ingestInbox } from './matching';
import { createPublisher } from './publish';
import { applyExits, applyFeedback } from './responses';
import { customerJourneyV1 } from './v1/customer-journey-v1';
import { continueOnV2 } from './v1/takeover-v1';
import { Wakeup } from './wakeup';

/**
 * The long-lived journey of one customer: takes in events, feeds the matcher, runs the response
 * of every winning match (policy, timing, channels, escalation) and records it all. The recorded
 * input's `v` picks the code: v1 runs (started before journey v2) run the frozen v1 code, which
 * hands them over to v2 at their next workflow task.
 */
export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  if (input.v === 1) return customerJourneyV1(input, continueOnV2);
  return journeyV2(input);
}

async function journeyV2(input: JourneyInputV2): Promise<void> {
  const { customerId } = input;
  const { workflowId } = workflowInfo();
  const state = restoreJourneyState(input.carried);
  let run: JourneyRun | null = null;
  // Handlers first, before any await: no signal delivered with the start is missed.
  registerIntake(state);
  registerJourneyQuery(customerId, workflowId, state, () => run);
  registerJourneyTrace(state);
  run = new JourneyRun(customerId, workflowId, state, await openDefinitions(state, input.definitions));
  const publish = createPublisher(run);
  const wakeup = new Wakeup();
  for (let spins = 0; ;) {
    await pass(run);
    flushAttribution(run);
    publish();
    const next = nextDue(run);
    // Something became due while we worked: go round again (bounded, so a bug cannot spin).
    if (next <= Date.now() && ++spins < 100) continue;
    spins = 0;
    if (next !== Infinity) wakeup.arm(Math.max(next, Date.now() + 1));
    const woken = () =>
      hasSignals(state) || calendarsStale(run) || scoresStale(run) || wakeup.fired || run.inFlight.settled;
    if (await timeToContinue(run, woken)) await continueWithNextRun(run);
    await condition(woken);
    wakeup.take();
  }
}

/**
 * One pass of the loop, in order: outcomes and signals that may cancel, events, deadlines, what
 * is due. Awaits only what needs it: every promise in workflow code costs a captured stack trace.
 */
async function pass(run: JourneyRun): Promise<void> {
  run.inFlight.apply();
  applyExits(run);
  applyAcks(run);
  applyFeedback(run);
  // Changed model scores join the inbox as `kairos.score` events, matched in order with the rest.
  const scoring = feedScores(run, Date.now());
  if (scoring) await scoring;
  if (run.state.inbox.length > 0) await ingestInbox(run);
  const now = Date.now();
  // Date and schedule triggers: armed before their deadlines run, re-armed after they fire.
  const arming = armCalendars(run, now);
  if (arming) await arming;
  const deadlines = advanceDeadlines(run, now);
  if (deadlines) await deadlines;
  const rearming = armCalendars(run, now);
  if (rearming) await rearming;
  if (hasDueResponse(run, now)) await runDueResponses(run, now);
  expireEscalations(run, now);
  expireConversions(run, now);
}

/** The earliest instant anything is due: matcher deadline, response, escalation SLA. */
function nextDue(run: JourneyRun): number {
  const { pending, escalations } = run.state;
  return Math.min(
    run.engine.nextWakeup() ?? Infinity,
    ...pending.filter((p) => p.state !== 'sending').map((p) => p.runAt),
    ...escalations.filter((e) => !e.closing).map((e) => e.deadline),
  );
}
