import { z } from 'zod';

/** Segment's message types, one route each (`/v1/<type>`), mixed in `/v1/batch`. */
export const SegmentTypeSchema = z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']);
export type SegmentType = z.infer<typeof SegmentTypeSchema>;

/** A date as Segment SDKs send it: an ISO-8601 string (a JS Date serialised). */
const SegmentDateSchema = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date-time, e.g. 2026-11-24T10:00:00Z');

/** Segment allows numeric ids; Kairos ids are strings. */
const SegmentIdSchema = z.union([z.string().min(1).max(128), z.number().transform(String)]);

const JsonObjectSchema = z.record(z.string(), z.unknown());

/**
 * One Segment message, as the HTTP tracking API and the SDKs (analytics-node, rudder-sdk-node)
 * send it. Loose: SDKs add fields (`integrations`, `_metadata`, `channel`, `rudderId`) that
 * Kairos does not use and must not refuse. Per-type requirements are checked by the mapper.
 */
export const SegmentMessageSchema = z
  .looseObject({
    type: SegmentTypeSchema.optional(),
    messageId: z.union([z.string().min(1).max(256), z.number().transform(String)]).optional(),
    userId: SegmentIdSchema.nullish(),
    anonymousId: SegmentIdSchema.nullish(),
    event: z.string().optional(),
    name: z.string().max(200).nullish(),
    category: z.string().max(200).nullish(),
    groupId: SegmentIdSchema.nullish(),
    previousId: SegmentIdSchema.nullish(),
    properties: JsonObjectSchema.nullish(),
    traits: JsonObjectSchema.nullish(),
    context: JsonObjectSchema.nullish(),
    timestamp: SegmentDateSchema.nullish(),
    originalTimestamp: SegmentDateSchema.nullish(),
    sentAt: SegmentDateSchema.nullish(),
  })
  .refine((m) => (m.userId ?? m.anonymousId) != null, {
    message: 'userId or anonymousId is required',
    path: ['userId'],
  });
export type SegmentMessage = z.infer<typeof SegmentMessageSchema>;

/**
 * `POST /v1/batch`: the envelope only; each message is validated on its own so one bad message
 * never rejects the others. `writeKey` may carry the API key (see segment auth).
 */
export const SegmentBatchSchema = z.looseObject({
  batch: z.array(z.unknown()).max(2000, 'must hold at most 2000 messages (and 500 KB)'),
  sentAt: SegmentDateSchema.nullish(),
  writeKey: z.string().optional(),
});
export type SegmentBatch = z.infer<typeof SegmentBatchSchema>;

/** Segment's limits (docs/ingestion.md): 32 KB per message, 500 KB per batch request. */
export const SEGMENT_MESSAGE_LIMIT = 32 * 1024;
export const SEGMENT_BATCH_LIMIT = 500 * 1024;
