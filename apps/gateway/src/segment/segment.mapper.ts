import { createHash } from 'node:crypto';
import { CustomerProfileSchema, EventIdSchema, EventSchema, type Event } from '@kairos/events';
import type { ProblemField } from '../common/problem';
import type { SegmentMessage, SegmentType } from './segment.schema';

/** Segment message → Kairos: an event (track, page, screen) or a profile change (identify, group, alias). */
export type ProfilePatch = {
  /** Profile fields recognised among the traits (email, phone, timezone, locale). */
  fields: { email?: string; phone?: string; timezone?: string; locale?: string };
  /** Merged into `attributes` (shallow: a trait replaces the attribute of the same name). */
  attributes: Record<string, unknown>;
  /** alias: an id now known to be this customer (kept in `attributes.aliases`). */
  alias?: string;
};
export type Mapped =
  | { kind: 'event'; event: Event }
  | { kind: 'profile'; customerId: string; patch: ProfilePatch }
  | { kind: 'invalid'; errors: ProblemField[] };

/** The event names page and screen calls become (docs/ingestion.md). */
export const PAGE_VIEWED = 'Page Viewed';
export const SCREEN_VIEWED = 'Screen Viewed';

const PROFILE_TRAITS = ['email', 'phone', 'timezone', 'locale'] as const;

/** userId, else `anon:<anonymousId>`: anonymous visitors get a journey of their own. */
export function segmentCustomerId(m: SegmentMessage): string {
  return m.userId != null ? String(m.userId) : `anon:${String(m.anonymousId)}`;
}

/**
 * messageId is the idempotency key; one that is not a valid Kairos event id (Segment allows any
 * string) becomes a stable hash of itself, so retries still dedupe.
 */
export function segmentEventId(messageId: string | undefined): string | undefined {
  if (messageId === undefined || EventIdSchema.safeParse(messageId).success) return messageId;
  return `seg:${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}

/**
 * When the event happened: `timestamp` when given; else Segment's clock-skew correction,
 * receivedAt − (sentAt − originalTimestamp), which trusts the device's clock only for the
 * interval between the event and its sending; else originalTimestamp; else unknown (receipt time).
 */
export function segmentOccurredAt(
  m: SegmentMessage,
  receivedAt: number,
  batchSentAt?: string | null,
): string | undefined {
  if (m.timestamp) return new Date(Date.parse(m.timestamp)).toISOString();
  if (!m.originalTimestamp) return undefined;
  const original = Date.parse(m.originalTimestamp);
  const sentAt = m.sentAt ?? batchSentAt;
  if (!sentAt) return new Date(original).toISOString();
  return new Date(receivedAt - (Date.parse(sentAt) - original)).toISOString();
}

/** Internal field → the Segment field a sender should fix. */
function segmentPath(path: string, type: SegmentType, m: SegmentMessage): string {
  const [head, ...rest] = path.split('.');
  const renamed: Record<string, string> = {
    id: 'messageId',
    customerId: m.userId != null ? 'userId' : 'anonymousId',
    name: type === 'track' ? 'event' : 'name',
    occurredAt: 'timestamp',
  };
  return [renamed[head ?? ''] ?? head, ...rest].join('.');
}

function toEvent(
  m: SegmentMessage,
  type: SegmentType,
  receivedAt: number,
  batchSentAt?: string | null,
): Mapped {
  const properties = { ...(m.properties ?? {}) };
  if (type !== 'track') {
    if (m.name != null) properties.name = m.name;
    if (m.category != null) properties.category = m.category;
  }
  const id = segmentEventId(m.messageId);
  const occurredAt = segmentOccurredAt(m, receivedAt, batchSentAt);
  const parsed = EventSchema.safeParse({
    ...(id !== undefined ? { id } : {}),
    customerId: segmentCustomerId(m),
    name: type === 'track' ? m.event : type === 'page' ? PAGE_VIEWED : SCREEN_VIEWED,
    ...(occurredAt ? { occurredAt } : {}),
    source: 'segment',
    properties,
  });
  if (parsed.success) return { kind: 'event', event: parsed.data };
  return {
    kind: 'invalid',
    errors: parsed.error.issues.map((i) => ({
      path: segmentPath(i.path.map(String).join('.') || '(body)', type, m),
      message: i.message,
    })),
  };
}

/** identify traits: profile fields when valid for the profile, everything else (and invalid ones) as attributes. */
function identifyPatch(m: SegmentMessage): ProfilePatch {
  const context = m.context ?? {};
  const traits: Record<string, unknown> = {
    ...((context.traits as Record<string, unknown> | undefined) ?? {}),
    ...(m.traits ?? {}),
  };
  const fields: ProfilePatch['fields'] = {};
  const fromContext = { timezone: context.timezone, locale: context.locale };
  for (const field of PROFILE_TRAITS) {
    const value =
      traits[field] ?? (field in fromContext ? fromContext[field as keyof typeof fromContext] : undefined);
    if (CustomerProfileSchema.shape[field].safeParse(value).success && value !== undefined) {
      fields[field] = value as string;
      delete traits[field];
    }
  }
  return { fields, attributes: traits };
}

function profilePatch(m: SegmentMessage, type: SegmentType): ProfilePatch {
  if (type === 'identify') return identifyPatch(m);
  if (type === 'group')
    return { fields: {}, attributes: { group: { id: String(m.groupId), ...(m.traits ?? {}) } } };
  return { fields: {}, attributes: {}, alias: String(m.previousId) };
}

/** What a group or alias call must carry besides an identity. */
function missing(m: SegmentMessage, type: SegmentType): ProblemField | null {
  if (type === 'group' && m.groupId == null) return { path: 'groupId', message: 'is required for group' };
  if (type === 'alias' && m.previousId == null)
    return { path: 'previousId', message: 'is required for alias' };
  if (type === 'track' && typeof m.event !== 'string')
    return { path: 'event', message: 'is required for track' };
  return null;
}

/** One validated Segment message of a known type → what Kairos does with it. */
export function mapSegmentMessage(
  m: SegmentMessage,
  type: SegmentType,
  receivedAt: number,
  batchSentAt?: string | null,
): Mapped {
  const lacking = missing(m, type);
  if (lacking) return { kind: 'invalid', errors: [lacking] };
  if (type === 'track' || type === 'page' || type === 'screen')
    return toEvent(m, type, receivedAt, batchSentAt);
  const customerId = segmentCustomerId(m);
  const id = EventSchema.shape.customerId.safeParse(customerId);
  if (!id.success)
    return {
      kind: 'invalid',
      errors: id.error.issues.map((i) => ({
        path: m.userId != null ? 'userId' : 'anonymousId',
        message: i.message,
      })),
    };
  return { kind: 'profile', customerId, patch: profilePatch(m, type) };
}
