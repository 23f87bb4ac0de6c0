import type { Event } from '@kairos/events';
import { cloudEventToEvent } from '../cloudevents/cloudevent.mapper';
import type { ProblemField } from '../common/problem';
import { mapSegmentMessage } from '../segment/segment.mapper';
import { SegmentMessageSchema } from '../segment/segment.schema';

/** An event read from another tool's export, or why it cannot be one; null: the internal shape. */
export type ForeignLine = { event: Event } | { errors: ProblemField[] } | null;

const EVENT_TYPES = new Set(['track', 'page', 'screen']);

/**
 * Recognises the two other shapes a history export comes in, by a field only they carry, and
 * maps them with the same mapper as their live endpoints: a CloudEvent (structured mode, has
 * `specversion`) and a Segment/RudderStack message (has `type` and `userId` or `anonymousId`).
 * Anything else is left to the internal event schema.
 */
export function mapForeignLine(value: unknown): ForeignLine {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const line = value as Record<string, unknown>;
  if ('specversion' in line) {
    const mapped = cloudEventToEvent(line);
    return mapped.ok ? { event: mapped.event } : { errors: mapped.errors };
  }
  if (typeof line.type !== 'string' || !('userId' in line || 'anonymousId' in line)) return null;
  if (!EVENT_TYPES.has(line.type)) {
    return { errors: [{ path: 'type', message: 'only track, page and screen calls are events to import' }] };
  }
  const parsed = SegmentMessageSchema.safeParse(line);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(line)', message: i.message })),
    };
  }
  // History carries its own `timestamp`; the receipt time only matters for a message without one.
  const mapped = mapSegmentMessage(parsed.data, line.type as 'track' | 'page' | 'screen', Date.now());
  if (mapped.kind === 'event') return { event: mapped.event };
  return { errors: mapped.kind === 'invalid' ? mapped.errors : [{ path: 'type', message: 'not an event' }] };
}
