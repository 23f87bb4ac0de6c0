// The journey query (GET /v1/customers/{id}/journey): answered from the state, never recorded.
import { setHandler } from '@temporalio/workflow';
import { journeyQuery, type JourneyView } from '@kairos/contracts';
import { timeTriggersView } from './calendars';
import { iso } from './journey-helpers';
import type { JourneyRun } from './journey-run';
import type { JourneyState } from './journey-state';

/**
 * Registers the query before the first await (a query may arrive with the first task); until
 * the run has its matcher, partial matches are shown as none.
 */
export function registerJourneyQuery(
  customerId: string,
  workflowId: string,
  state: JourneyState,
  current: () => JourneyRun | null,
): void {
  setHandler(journeyQuery, (): JourneyView => {
    const run = current();
    return {
      customerId,
      workflowId,
      stage: run?.stage ?? 'starting',
      recentEvents: state.recent,
      partialMatches: (run?.engine.partials() ?? []).map((p) => ({
        triggerId: p.triggerId,
        key: p.key,
        startedAt: iso(p.startedAt),
        deadline: p.deadline === null ? null : iso(p.deadline),
      })),
      pendingResponses: state.pending.map((p) => ({
        matchId: p.matchId,
        triggerId: p.triggerId,
        runAt: iso(p.runAt),
        channel: p.response.channels.order[p.channelIndex] ?? p.response.channels.order[0] ?? '',
      })),
      history: state.history,
      counters: state.counters,
      timeTriggers: timeTriggersView(run),
    };
  });
}
