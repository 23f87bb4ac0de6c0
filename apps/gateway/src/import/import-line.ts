import type { z } from 'zod';
import { EventSchema } from '@kairos/events';
import { customerWorkflowId } from '@kairos/contracts';
import type { JourneyEventRow } from '@kairos/persistence';
import { findUnstorableText, UNSTORABLE_MESSAGE } from '../common/storable-text';
import { mapForeignLine } from './import-shapes';

/** One refused line: where (1-based line, dot path of the field) and why. */
export type ImportLineError = { line: number; field: string; message: string };

/**
 * The internal event shape with the two fields an import cannot do without: the id (the
 * idempotency key, so a re-run imports nothing twice) and the time it happened (history
 * without a time is useless to reports and backtests).
 */
export const ImportEventSchema = EventSchema.extend({
  id: EventSchema.shape.id.unwrap(),
  occurredAt: EventSchema.shape.occurredAt.unwrap(),
});

/**
 * Maps one NDJSON line (the internal event shape, a Segment/RudderStack track, page or screen
 * message, or a structured CloudEvent) to its journey_events row, or the first
 * reason it cannot be stored. The row's workflow_id is the customer's journey id
 * (`customer:<id>`, what a live event would carry), so reports join imported and live events
 * alike, although no journey was signalled; received_at is the event's own time, so time
 * windows place history where it happened.
 */
export function mapImportLine(line: number, text: string): JourneyEventRow | ImportLineError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { line, field: '(line)', message: `not JSON: ${(err as Error).message}` };
  }
  const unstorable = findUnstorableText(value);
  if (unstorable !== null) return { line, field: unstorable, message: UNSTORABLE_MESSAGE };
  const foreign = mapForeignLine(value);
  if (foreign && 'errors' in foreign) {
    const first = foreign.errors[0] ?? { path: '(line)', message: 'invalid' };
    return { line, field: first.path, message: first.message };
  }
  // A mapped event still needs what every imported line needs (an id, a time).
  const parsed = ImportEventSchema.safeParse(foreign ? foreign.event : value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { line, field: issue.path.join('.') || '(line)', message: issueMessage(issue) };
  }
  const event = parsed.data;
  const at = new Date(event.occurredAt);
  return {
    customerId: event.customerId,
    eventId: event.id,
    name: event.name,
    occurredAt: at,
    receivedAt: at,
    workflowId: customerWorkflowId(event.customerId),
    properties: event.properties,
  };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'required';
  return issue.message;
}

export function isLineError(value: JourneyEventRow | ImportLineError): value is ImportLineError {
  return 'field' in value;
}
