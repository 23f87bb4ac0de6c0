import { EventSchema } from '@kairos/events';
import type { SegmentMessage, SegmentType } from './segment.schema';

/** An anonymous customer (`anon:<id>`) found to be a known one. */
export type SegmentLink = { anonymousId: string; customerId: string };

const validCustomerId = (id: string): boolean => EventSchema.shape.customerId.safeParse(id).success;

/**
 * The link a message proves, if any: any message carrying both a userId and an anonymousId
 * (identify and track, as the issue names them, but page and screen prove it as well), and an
 * alias, whose previousId is taken as the visitor's anonymousId (what analytics.js sends). Two
 * known customers are never merged: alias of one userId to another only records the alias.
 */
export function segmentLink(m: SegmentMessage, type: SegmentType): SegmentLink | null {
  if (m.userId == null) return null;
  const previous = type === 'alias' ? m.previousId : m.anonymousId;
  if (previous == null) return null;
  const link = { anonymousId: `anon:${String(previous)}`, customerId: String(m.userId) };
  if (link.anonymousId === link.customerId) return null;
  return validCustomerId(link.anonymousId) && validCustomerId(link.customerId) ? link : null;
}

/** The anonymous customer of a message that has no userId, to look up its link. */
export function segmentAnonymousCustomer(m: SegmentMessage): string | null {
  return m.userId == null && m.anonymousId != null ? `anon:${String(m.anonymousId)}` : null;
}

/** A message with only an anonymousId, given the userId of the known customer it is linked to. */
export function withLinkedUser(m: SegmentMessage, linked: ReadonlyMap<string, string>): SegmentMessage {
  const anonymous = segmentAnonymousCustomer(m);
  const known = anonymous === null ? undefined : linked.get(anonymous);
  return known === undefined ? m : { ...m, userId: known };
}
