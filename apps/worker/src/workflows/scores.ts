// Model scores into the matcher (docs/triggers.md §3.14): when the stored profile may hold a new
// score (first pass, or a profileChanged signal), the journey reads it and turns each changed score
// of a model the trigger set reads into a `kairos.score` event. The event goes through the inbox
// like any other, so it is recorded in journey_events (replays and backtests see it) and matched
// in order. Journeys whose set reads no score never read a profile for it.
import { log } from '@temporalio/workflow';
import type { Profile } from '@kairos/contracts';
import { scoreEvent, scoreModels, type Trigger } from '@kairos/triggers';
import { requeueAttribution, takeAttribution } from './attribution';
import { nextInstants } from './journey-activities';
import type { JourneyRun } from './journey-run';

const modelsCache = new WeakMap<readonly Trigger[], string[]>();

function modelsOf(run: JourneyRun): string[] {
  let models = modelsCache.get(run.set.triggers);
  if (models === undefined) {
    models = scoreModels(run.set.triggers);
    modelsCache.set(run.set.triggers, models);
  }
  return models;
}

/** Whether the scores must be read: never read yet, or the profile changed since. Wakes the loop. */
export function scoresStale(run: JourneyRun): boolean {
  return modelsOf(run).length > 0 && (run.state.scoresStale === true || run.state.scores === undefined);
}

/** Feeds the changed scores to the inbox; a promise only when the profile must be read. */
export function feedScores(run: JourneyRun, now: number): Promise<void> | undefined {
  if (!scoresStale(run)) return undefined;
  // Cleared before the read: a signal arriving meanwhile marks it again.
  delete run.state.scoresStale;
  const held = run.profileForDecision();
  if (held !== null) {
    enqueueChanged(run, held, now);
    return undefined;
  }
  return readAndFeed(run, now);
}

async function readAndFeed(run: JourneyRun, now: number): Promise<void> {
  const attribution = takeAttribution(run);
  try {
    // The decision activity that reads the profile, with no instant to compute: one recorded
    // marker, so replay never re-reads the database.
    const decision = await nextInstants({
      customerId: run.customerId,
      profile: null,
      attribution,
      requests: [],
    });
    run.learnProfile(decision.profile);
    enqueueChanged(run, decision.profile ?? { customerId: run.customerId }, now);
  } catch (err) {
    requeueAttribution(run, attribution);
    run.state.scoresStale = true;
    log.warn('model scores not read yet; retried on the next pass', { error: String(err) });
  }
}

/** Queues one `kairos.score` event per read model whose value or version differs from the last fed. */
function enqueueChanged(run: JourneyRun, profile: Profile, now: number): void {
  const fed = run.state.scores ?? {};
  for (const model of modelsOf(run)) {
    const score = profile.scores?.[model];
    if (score === undefined || typeof score.value !== 'number') continue;
    const last = fed[model];
    if (last !== undefined && last.value === score.value && last.version === score.version) continue;
    fed[model] = { value: score.value, version: score.version };
    // v1: not recorded by a gateway, so the inbox records it in journey_events before matching.
    run.state.inbox.push({
      v: 1,
      customerId: run.customerId,
      category: 'system',
      source: 'kairos',
      ...scoreEvent(model, score, now),
    });
  }
  run.state.scores = fed;
}
