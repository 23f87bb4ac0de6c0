/** One stored event as the models read it (journey_events, and responses as `message.*`). */
export type HistoryEvent = {
  name: string;
  /** occurred_at, epoch ms. */
  at: number;
  /** The value of the model's value hint for this event name, when it has one. */
  value?: number;
  /** Whether the event matches the model's target atom (name and `where`). */
  target?: boolean;
};

/** One customer's history, events sorted by `at` (ascending). */
export type CustomerHistory = {
  customerId: string;
  /**
   * When the customer's record was created, epoch ms (Infinity: none); tenure is counted from
   * this or the first event of the observation window, whichever is earlier.
   */
  since: number;
  events: HistoryEvent[];
};

/** Index of the first event at or after `t` (events sorted by `at`). */
export function firstAtOrAfter(events: readonly HistoryEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
