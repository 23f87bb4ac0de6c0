import { Injectable } from '@nestjs/common';
import type { Event } from '@kairos/events';
import { ProblemException, zodFields, type ProblemBody, type ProblemField } from '../common/problem';
import { findUnstorableText, UNSTORABLE_MESSAGE } from '../common/storable-text';
import { EventsService } from '../events/events.service';
import { IdentityService } from '../identity/identity.service';
import { segmentAnonymousCustomer, segmentLink, withLinkedUser } from './segment-identity';
import { mapSegmentMessage, type Mapped } from './segment.mapper';
import {
  SEGMENT_MESSAGE_LIMIT,
  SegmentMessageSchema,
  type SegmentMessage,
  type SegmentType,
} from './segment.schema';
import { SegmentProfilesService } from './segment-profiles.service';

/** What became of one message, in the order sent. */
export type SegmentOutcome =
  | { index: number; messageId: string | null; status: 'accepted' | 'duplicate' | 'ignored' | 'stored' }
  | { index: number; messageId: string | null; status: 'rejected'; error: ProblemBody; retryAfter?: number };

type Context = { type?: SegmentType; batchSentAt?: string | null; requestId?: string; keyId?: string };
type Parsed =
  Extract<Mapped, { kind: 'invalid' }> | { kind: 'parsed'; message: SegmentMessage; type: SegmentType };

function invalid(errors: ProblemField[], title = 'Segment message is invalid'): ProblemBody {
  return {
    type: 'https://kairos.dev/problems/validation',
    title,
    status: 400,
    detail: `${errors.length} field(s) failed validation: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    errors,
  };
}

function messageIdOf(raw: unknown): string | null {
  const id = typeof raw === 'object' && raw !== null ? (raw as { messageId?: unknown }).messageId : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/**
 * Segment messages in, Kairos events and profile changes out. Each message is validated and
 * answered on its own; profile changes (identify, group, alias) are applied first, in order, so
 * that a journey started by an event of the same batch reads the fresh profile; the events then
 * go through EventsService.acceptBatch: the same dedupe, limits, recording and signal as
 * `POST /v1/events/batch`. Before any of that, the anonymous visitors the messages identify are
 * merged into their known customers (IdentityService), and a message with only a linked
 * anonymousId goes to the known customer: so, in a batch, anonymous events sent before the
 * identify land on the known customer too.
 */
@Injectable()
export class SegmentService {
  constructor(
    private readonly events: EventsService,
    private readonly profiles: SegmentProfilesService,
    private readonly identity: IdentityService,
  ) {}

  async ingest(messages: unknown[], ctx: Context): Promise<SegmentOutcome[]> {
    const receivedAt = Date.now();
    const outcomes = new Array<SegmentOutcome>(messages.length);
    const events: { index: number; messageId: string | null; event: Event }[] = [];
    const parsed = messages.map((raw) => this.parse(raw, ctx));
    const linked = await this.link(parsed, ctx.requestId);
    for (const [index, raw] of messages.entries()) {
      const messageId = messageIdOf(raw);
      const p = parsed[index]!;
      const mapped =
        p.kind === 'invalid'
          ? p
          : mapSegmentMessage(withLinkedUser(p.message, linked), p.type, receivedAt, ctx.batchSentAt);
      if (mapped.kind === 'invalid') {
        outcomes[index] = { index, messageId, status: 'rejected', error: invalid(mapped.errors) };
      } else if (mapped.kind === 'event') {
        events.push({ index, messageId, event: mapped.event });
      } else {
        outcomes[index] = await this.applyProfile(index, messageId, mapped, ctx.requestId);
      }
    }
    if (events.length === 0) return outcomes;
    const results = await this.events.acceptBatch(
      events.map((e) => e.event),
      ctx.requestId,
      ctx.keyId,
    );
    results.forEach((r, i) => {
      const { index, messageId } = events[i]!;
      outcomes[index] =
        r.status === 'rejected'
          ? {
              index,
              messageId,
              status: 'rejected',
              error: r.error,
              ...(r.retryAfter ? { retryAfter: r.retryAfter } : {}),
            }
          : { index, messageId, status: r.status };
    });
    return outcomes;
  }

  /**
   * Merges each anonymous visitor a message identifies (in order, once per link), then looks up
   * the known customer of every anonymous-only message.
   */
  private async link(parsed: Parsed[], requestId?: string): Promise<Map<string, string>> {
    const anonymous: string[] = [];
    const done = new Set<string>();
    for (const p of parsed) {
      if (p.kind === 'invalid') continue;
      const link = segmentLink(p.message, p.type);
      if (link && !done.has(link.anonymousId)) {
        done.add(link.anonymousId);
        await this.identity.link(link.anonymousId, link.customerId, requestId);
      }
      const id = segmentAnonymousCustomer(p.message);
      if (id !== null) anonymous.push(id);
    }
    return this.identity.resolve(anonymous);
  }

  private parse(raw: unknown, ctx: Context): Parsed {
    if (Buffer.byteLength(JSON.stringify(raw) ?? '') > SEGMENT_MESSAGE_LIMIT)
      return { kind: 'invalid', errors: [{ path: '(message)', message: 'must be at most 32 KB of JSON' }] };
    // Checked here, not by the app-wide hook: one such message never rejects a whole batch.
    const unstorable = findUnstorableText(raw);
    if (unstorable !== null)
      return { kind: 'invalid', errors: [{ path: unstorable, message: UNSTORABLE_MESSAGE }] };
    const parsed = SegmentMessageSchema.safeParse(raw);
    if (!parsed.success) return { kind: 'invalid', errors: zodFields(parsed.error) };
    const type = ctx.type ?? parsed.data.type;
    if (!type) return { kind: 'invalid', errors: [{ path: 'type', message: 'is required in a batch' }] };
    return { kind: 'parsed', message: parsed.data, type };
  }

  private async applyProfile(
    index: number,
    messageId: string | null,
    mapped: Extract<Mapped, { kind: 'profile' }>,
    requestId?: string,
  ): Promise<SegmentOutcome> {
    try {
      await this.profiles.apply(mapped.customerId, mapped.patch, requestId);
      return { index, messageId, status: 'stored' };
    } catch (err) {
      if (!(err instanceof ProblemException)) throw err;
      const retryAfter = Number(err.headers['retry-after']);
      return {
        index,
        messageId,
        status: 'rejected',
        error: err.body,
        ...(retryAfter > 0 ? { retryAfter } : {}),
      };
    }
  }
}
