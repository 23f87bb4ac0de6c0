import { createHash } from 'node:crypto';
import { EventSchema, type Event } from '@kairos/events';
import { zodFields, type ProblemField } from '../common/problem';
import { findUnstorableText, UNSTORABLE_MESSAGE } from '../common/storable-text';
import { CloudEventSchema, type CloudEvent } from './cloudevent.schema';

/** A CloudEvent as an internal event, or every attribute that stops it, named as the producer sent it. */
export type Mapped = { ok: true; event: Event } | { ok: false; errors: ProblemField[] };

/** Longest `source` the internal event keeps (docs/api.md §3); the id covers all of it. */
const SOURCE_MAX = 64;

/**
 * The internal event id of a CloudEvent: CloudEvents make (source, id) unique, and a source is a
 * URI (slashes, any length) that the internal id's 1-128 characters of [A-Za-z0-9._:-] cannot
 * hold, so the id is a digest of both. The same source and id always give the same event id,
 * which is what makes a redelivered CloudEvent a duplicate.
 */
export function cloudEventId(source: string, id: string): string {
  return `ce:${createHash('sha256')
    .update(JSON.stringify([source, id]))
    .digest('hex')}`;
}

/**
 * JSON object data is the properties; any other data (string, number, array...) is kept under
 * `data`, so a trigger can still read it. No data (absent or null) is no properties.
 */
function propertiesOf(data: unknown): unknown {
  if (data === undefined || data === null) return {};
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  return isObject ? data : { data };
}

/** At most SOURCE_MAX UTF-16 units, never ending on half of a surrogate pair. */
function cutSource(source: string): string {
  if (source.length <= SOURCE_MAX) return source;
  const cut = source.slice(0, SOURCE_MAX);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** An internal field's error path, as the CloudEvent attribute it came from. */
function attributePath(path: string, customerFrom: string, wrapped: boolean): string {
  const [head, ...rest] = path.split('.');
  const attribute =
    { customerId: customerFrom, name: 'type', occurredAt: 'time', properties: 'data' }[head ?? ''] ?? head;
  // Non-object data kept as `{data}`: the error is on the data, not on a key the producer never sent.
  const tail = wrapped && head === 'properties' ? rest.slice(1) : rest;
  return [attribute, ...tail].join('.');
}

/**
 * The one mapping from a CloudEvent (structured, batch item, or binary mode read by
 * fromBinary) to the internal event: customerid extension (else subject) → customer, type →
 * name, time → occurredAt, data → properties, (source, id) → id.
 */
export function cloudEventToEvent(input: unknown): Mapped {
  const unstorable = findUnstorableText(input);
  if (unstorable !== null) return { ok: false, errors: [{ path: unstorable, message: UNSTORABLE_MESSAGE }] };
  const parsed = CloudEventSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodFields(parsed.error) };
  const ce: CloudEvent = parsed.data;
  const customerFrom = ce.customerid !== undefined ? 'customerid' : 'subject';
  const customer = ce.customerid ?? ce.subject;
  if (customer === undefined || customer === '')
    return {
      ok: false,
      errors: [
        { path: 'subject', message: 'is required: the customer id, in subject or the customerid extension' },
      ],
    };
  const properties = propertiesOf(ce.data);
  const event = EventSchema.safeParse({
    id: cloudEventId(ce.source, ce.id),
    customerId: String(customer),
    name: ce.type,
    category: 'external',
    ...(ce.time !== undefined ? { occurredAt: ce.time } : {}),
    source: cutSource(ce.source),
    properties,
  });
  if (event.success) return { ok: true, event: event.data };
  const errors = zodFields(event.error).map((e) => ({
    ...e,
    path: attributePath(e.path, customerFrom, properties !== ce.data),
  }));
  return { ok: false, errors };
}

/** Percent-decoded, as the HTTP binding encodes header values; a malformed escape is kept as sent. */
function headerValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Binary content mode: the context attributes are `ce-*` headers, the body is the data and its
 * Content-Type the datacontenttype. Read into the JSON format's shape for cloudEventToEvent.
 */
export function fromBinary(headers: Record<string, string | string[] | undefined>, body: unknown): unknown {
  const ce: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const attribute = name.toLowerCase().startsWith('ce-') ? name.slice(3).toLowerCase() : null;
    if (attribute === null || attribute === 'data' || attribute === 'data_base64') continue;
    ce[attribute] = typeof value === 'string' ? headerValue(value) : value;
  }
  const contentType = headers['content-type'];
  if (typeof contentType === 'string') ce.datacontenttype = contentType;
  if (body !== undefined && body !== null) ce.data = body;
  return ce;
}
