// The journey's search attributes as typed keys: the gateway sets the first values when it starts
// a journey, the workflow upserts what changes. Names and types match SEARCH_ATTRIBUTES (names.ts).
import { defineSearchAttributeKey, type SearchAttributePair } from '@temporalio/common';

export const JOURNEY_SEARCH_ATTRIBUTES = {
  customerId: defineSearchAttributeKey('CustomerId', 'KEYWORD'),
  stage: defineSearchAttributeKey('JourneyStage', 'KEYWORD'),
  activeTriggers: defineSearchAttributeKey('ActiveTriggers', 'KEYWORD_LIST'),
  lastTrigger: defineSearchAttributeKey('LastTrigger', 'KEYWORD'),
  lastEventAt: defineSearchAttributeKey('LastEventAt', 'DATETIME'),
  pendingResponses: defineSearchAttributeKey('PendingResponses', 'INT'),
} as const;

/**
 * LastEventAt moves in whole hours: each change is an upsert (a visibility write on the server),
 * and a customer active all hour costs one, not one per minute or per event. Queries such as
 * `LastEventAt < '2026-11-01T00:00:00Z'` (customers quiet since) need no finer grain.
 */
export function lastEventHour(receivedAt: number): Date {
  return new Date(Math.floor(receivedAt / 3_600_000) * 3_600_000);
}

/**
 * The search attributes a journey starts with (signal-with-start of its first event): what the
 * journey would publish after an event that matches nothing, so such an event upserts nothing.
 */
export function journeyStartSearchAttributes(customerId: string, receivedAt: number): SearchAttributePair[] {
  const k = JOURNEY_SEARCH_ATTRIBUTES;
  return [
    { key: k.customerId, value: customerId },
    { key: k.stage, value: 'idle' },
    { key: k.pendingResponses, value: 0 },
    { key: k.lastEventAt, value: lastEventHour(receivedAt) },
  ];
}
