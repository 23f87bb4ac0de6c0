import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { JourneyInput, JourneyInputV2 } from '@kairos/contracts';
import { openDefinitions } from './definitions';
import { applyAcks, expireEscalations } from './escalations';
import { expireConversions } from './conversions';
import { runDueResponses } from './delivery';
import { hasSignals, registerIntake } from './intake';
import { logAttribution } from './journey-activities';
import { registerJourneyQuery } from './journey-query';
import { JourneyRun } from './journey-run';
import { restoreJourneyState, snapshotJourneyState } from './journey-state';
import { advanceDeadlines, ingestInbox } from './matching';
import { createPublisher } from './publish';
import { applyExits, applyFeedback } from './responses';
import { continueOnV2 } from './v1/takeover-v1';
import { customerJourneyV1 } from './v1/customer-journey-v1';
import { Wakeup } from './wakeup';

/**
 * The long-lived journey of one customer: takes in events, feeds the matcher, runs the response
 * of every winning match (policy, timing, channels, escalation) and records it all. The recorded
 * input's `v` picks the code: v1 runs (started before journey v2) finish on the frozen v1 code,
 * which hands them over to v2 at their next workflow task.
 */
export async function customerJourneyWorkflow(input: JourneyInput): Promise<void> {
  if (input.v === 1) return customerJourneyV1(input, continueOnV2);
  return journeyV2(input);
}

async function journeyV2(input: JourneyInputV2): Promise<void> {
  const { customerId } = input;
  const state = restoreJourneyState(input.carried);
  let run: JourneyRun | null = null;
  registerIntake(state);
  registerJourneyQuery(customerId, workflowInfo().workflowId, state, () => run);
  const opened = await openDefinitions(state);
  run = new JourneyRun(
    customerId,
    workflowInfo().workflowId,
    state,
    opened.definitions,
    opened.engine,
    opened.historyBound,
  );
  const publish = createPublisher(run);
  const wakeup = new Wakeup();
  for (let spins = 0; ;) {
    await pass(run);
    if (run.attribution.length > 0) await logAttribution(run.attribution.splice(0));
    publish();
    const next = nextDue(run);
    // Something became due while we worked: go round again (bounded, so a bug cannot spin).
    if (next <= Date.now() && ++spins < 100) continue;
    spins = 0;
    if (next !== Infinity) wakeup.arm(Math.max(next, Date.now() + 1));
    if (shouldContinueAsNew(run)) {
      await condition(allHandlersFinished);
      // Whatever arrived meanwhile is carried: nothing is lost across the boundary.
      const carried = snapshotJourneyState(state, run.engine.snapshot(), run.definitions);
      await continueAsNew<typeof customerJourneyWorkflow>({ v: 2, customerId, carried });
    }
    await condition(() => hasSignals(state) || wakeup.fired);
    wakeup.take();
  }
}

/** One pass of the loop, in order: signals that may cancel, events, deadlines, what is due. */
async function pass(run: JourneyRun): Promise<void> {
  applyExits(run);
  await applyAcks(run);
  applyFeedback(run);
  await ingestInbox(run);
  const now = Date.now();
  await advanceDeadlines(run, now);
  await runDueResponses(run, now);
  await expireEscalations(run, now);
  expireConversions(run, now);
}

/** The earliest instant anything is due: matcher deadline, response, escalation SLA. */
function nextDue(run: JourneyRun): number {
  return Math.min(
    run.engine.nextWakeup() ?? Infinity,
    ...run.state.pending.map((p) => p.runAt),
    ...run.state.escalations.map((e) => e.deadline),
  );
}

function shouldContinueAsNew(run: JourneyRun): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= run.historyBound;
}
