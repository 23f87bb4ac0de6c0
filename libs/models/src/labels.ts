import { firstAtOrAfter, type CustomerHistory } from './history';
import type { Target } from './model.schema';

/**
 * The label of one customer at `cutoff`: 1 when the target happened (an `event` target) or did
 * not happen (an `absent` target) in `[cutoff, cutoff + horizon)`. Reads only events in that
 * span: what the model predicts, never what it may see (docs/models.md §2).
 */
export function labelAt(history: CustomerHistory, cutoff: number, target: Target, horizon: number): 0 | 1 {
  const events = history.events;
  const end = cutoff + horizon;
  let hit = false;
  for (let i = firstAtOrAfter(events, cutoff); i < events.length && events[i]!.at < end; i += 1)
    if (events[i]!.target === true) {
      hit = true;
      break;
    }
  return ('within' in target ? hit : !hit) ? 1 : 0;
}

/**
 * Who is scored and labelled at a cutoff: customers with at least one event in the observation
 * window before it; for an `absent` target, only those who did the target action in it
 * (a customer who stopped long ago has already churned).
 */
export function eligibleAt(
  history: CustomerHistory,
  cutoff: number,
  target: Target,
  observation: number,
): boolean {
  const events = history.events;
  const end = firstAtOrAfter(events, cutoff);
  const start = firstAtOrAfter(events, cutoff - observation);
  if (end <= start) return false;
  if ('within' in target) return true;
  for (let i = start; i < end; i += 1) if (events[i]!.target === true) return true;
  return false;
}
