/**
 * What a journey costs Temporal, read back from the server: history events and bytes
 * (DescribeWorkflowExecution's historyLength and historySize) at checkpoints, and the billable
 * Temporal Cloud actions among the history events between two checkpoints.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export type Checkpoint = { length: number; bytes: number };

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

/**
 * Waits until the workflow has nothing in flight (no workflow task, no activity) and its history
 * stopped growing, then returns its size; a journey still working would be measured short.
 */
export async function settle(client: Client, workflowId: string, timeoutMs = 60_000): Promise<Checkpoint> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  for (;;) {
    const d = await client.workflow.getHandle(workflowId).describe();
    const idle = !d.raw.pendingWorkflowTask && (d.raw.pendingActivities ?? []).length === 0;
    if (idle && d.historyLength === previous) return { length: d.historyLength, bytes: d.historySize ?? 0 };
    if (Date.now() > deadline) throw new Error(`${workflowId} did not settle in ${timeoutMs} ms`);
    previous = idle ? d.historyLength : -1;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Checkpoints of many workflows, a few at a time. */
export async function settleAll(client: Client, ids: readonly string[]): Promise<Map<string, Checkpoint>> {
  const out = new Map<string, Checkpoint>();
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift())
        out.set(id, await settle(client, id));
    }),
  );
  return out;
}

export async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

export type Actions = {
  workflowStarted: number;
  signals: number;
  activities: number;
  localActivityTasks: number;
  timers: number;
  searchAttributeUpserts: number;
  updates: number;
  other: number;
  total: number;
};

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

type Counted = Exclude<keyof Actions, 'localActivityTasks' | 'total'>;

/** The history events that are one billed action each (activity attempts handled apart). */
const ACTION_OF = new Map<number, Counted>([
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 'workflowStarted'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 'workflowStarted'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 'signals'],
  [EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 'signals'],
  [EventType.EVENT_TYPE_TIMER_STARTED, 'timers'],
  [EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, 'searchAttributeUpserts'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, 'updates'],
  [EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, 'other'],
]);

/**
 * Temporal Cloud actions recorded in history events (firstId, lastId]: a workflow started (also
 * by continue-as-new or as a child), a signal received or sent, an activity attempt, all local
 * activities of one workflow task as one action, a timer, a search attribute upsert, an update.
 * Queries and heartbeats are billed too but leave no history event.
 */
export function billableActions(events: readonly HistoryEvent[], firstId: number, lastId: number): Actions {
  const a: Actions = {
    workflowStarted: 0,
    signals: 0,
    activities: 0,
    localActivityTasks: 0,
    timers: 0,
    searchAttributeUpserts: 0,
    updates: 0,
    other: 0,
    total: 0,
  };
  const localActivityTasks = new Set<number>();
  for (const e of events) {
    const id = Number(e.eventId);
    if (id <= firstId || id > lastId) continue;
    const counted = ACTION_OF.get(e.eventType ?? 0);
    if (counted) a[counted]++;
    // The attempt number says how many times the activity was started (retries are billed).
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
      a.activities += Math.max(1, e.activityTaskStartedEventAttributes?.attempt ?? 1);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER)
      localActivityTasks.add(Number(marker.workflowTaskCompletedEventId));
  }
  a.localActivityTasks = localActivityTasks.size;
  a.total =
    a.workflowStarted +
    a.signals +
    a.activities +
    a.localActivityTasks +
    a.timers +
    a.searchAttributeUpserts +
    a.updates +
    a.other;
  return a;
}

/** Short names of the event types in (firstId, lastId], in order: what one event cost. */
export function eventTypes(events: readonly HistoryEvent[], firstId: number, lastId: number): string[] {
  return events
    .filter((e) => Number(e.eventId) > firstId && Number(e.eventId) <= lastId)
    .map((e) => {
      const name = EventType[e.eventType ?? 0] ?? String(e.eventType);
      const detail =
        e.markerRecordedEventAttributes?.markerName ??
        e.activityTaskScheduledEventAttributes?.activityType?.name;
      return name.replace(/^EVENT_TYPE_/, '') + (detail ? `(${detail})` : '');
    });
}

/** What one step of a journey (one event) added to history, averaged over the sampled workflows. */
export type Segment = { events: number; bytes: number; actions: Actions; types: string[] };

/**
 * Splits the sampled histories at the checkpoints taken after each step (`steps[k]` maps a
 * workflow id to its checkpoint after step k) and averages each step over the sample.
 */
export async function segments(
  client: Client,
  ids: readonly string[],
  steps: readonly Map<string, Checkpoint>[],
): Promise<Segment[]> {
  const histories = new Map<string, HistoryEvent[]>();
  for (const id of ids) histories.set(id, await historyOf(client, id));
  return steps.map((step, k) => {
    const per = ids.map((id) => {
      const from = k === 0 ? { length: 0, bytes: 0 } : steps[k - 1]!.get(id)!;
      const to = step.get(id)!;
      const events = histories.get(id)!;
      return {
        events: to.length - from.length,
        bytes: to.bytes - from.bytes,
        actions: billableActions(events, from.length, to.length),
        types: eventTypes(events, from.length, to.length),
      };
    });
    const avg = (f: (s: (typeof per)[number]) => number): number =>
      Math.round((per.reduce((n, s) => n + f(s), 0) / per.length) * 10) / 10;
    const keys = Object.keys(per[0]!.actions) as (keyof Actions)[];
    return {
      events: avg((s) => s.events),
      bytes: avg((s) => s.bytes),
      actions: Object.fromEntries(keys.map((key) => [key, avg((s) => s.actions[key])])) as Actions,
      types: per[0]!.types,
    };
  });
}
