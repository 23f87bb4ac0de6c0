// The live journey's why and why not (docs/api.md §11, GET /v1/customers/{id}/journey/trace):
// the matcher's recent decisions, kept in a small ring in the journey state across
// continue-as-new and answered by a query. Sandbox code: the recorder is plain data.
import { setHandler } from '@temporalio/workflow';
import { JOURNEY_TRACE_LIMIT, journeyTraceQuery } from '@kairos/contracts';
import { TraceRecorder, type EngineOptions } from '@kairos/triggers';
import type { JourneyState } from './journey-state';

/** Engine options that record into the state's ring (created with each run's engine). */
export function journeyTraceOptions(state: JourneyState): EngineOptions {
  const recorder = new TraceRecorder(JOURNEY_TRACE_LIMIT, 'last', state.trace ?? []);
  // The state holds the recorder's own list, so a snapshot carries what it recorded.
  state.trace = recorder.entries;
  return { observer: recorder };
}

/** Answers the trace query from the state (empty before the first decision). */
export function registerJourneyTrace(state: JourneyState): void {
  setHandler(journeyTraceQuery, () => state.trace ?? []);
}
