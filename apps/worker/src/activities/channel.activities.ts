import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Profile } from '@kairos/contracts';
import type { AttributionRepository, AttributionRow, OutboxRepository } from '@kairos/persistence';
import type { Channel, MatchEvent } from '@kairos/triggers';
import { renderTemplate } from '../delivery/template';
import type { TrackingOptions } from '../delivery/tracking';
import { PermanentDeliveryError, type OutgoingMessage, type TransportResult } from '../delivery/transports';
import type { AttributionInput, ProfileSource } from './journey.activities';

export type Transport = { send(m: OutgoingMessage, now: number): Promise<TransportResult> };

export type ChannelActivityDeps = {
  outbox: OutboxRepository;
  attribution: AttributionRepository;
  /** The profile a message is rendered for and addressed to, read at sending time. */
  profiles: ProfileSource;
  outboxDir: string;
  /** Template sources by id (templates/<id>.liquid). */
  templates: () => Record<string, string>;
  /** Real transports per channel; a channel without one is delivered to the local outbox only. */
  transports: Partial<Record<Channel, Transport>>;
  /** Open pixel and click links of the gateway; without it messages are sent untracked. */
  tracking?: TrackingOptions;
};

export type SendMessageInput = {
  matchId: string;
  customerId: string;
  triggerId: string;
  triggerVersion: number;
  channel: Channel;
  templateId: string;
  variant: string | null;
  bindings: Record<string, MatchEvent[]>;
  /** v1 runs pass the profile they hold; v2 runs leave it out and the activity reads the stored one. */
  profile?: Profile;
  /** Workflow time of the send, stamped into the outbox file (keeps the file byte-identical on retry). */
  at: number;
  /** Attribution rows the journey has not written yet: written here, since this activity runs anyway. */
  attribution?: AttributionInput[];
};

export type SendMessageResult = {
  deliveryId: string;
  channel: Channel;
  recipient: string | null;
  transport: string;
  duplicate: boolean;
};

/**
 * The idempotency key of one delivery: the same match of the same customer on the same channel is
 * the same delivery. matchId is only unique per customer (event ids are), hence the customer id.
 */
export function deliveryIdOf(customerId: string, matchId: string, channel: string): string {
  return createHash('sha256')
    .update(`${customerId}\u0000${matchId}\u0000${channel}`)
    .digest('hex')
    .slice(0, 32);
}

function recipientOf(channel: Channel, profile: Profile): string | null {
  switch (channel) {
    case 'email':
      return profile.email ?? null;
    case 'sms':
      return profile.phone ?? null;
    case 'push':
      return profile.pushTokens?.[0] ?? null;
    case 'webhook':
      return null;
  }
}

/** Channels the customer can receive: consent not withdrawn and an address known (webhooks always). */
export function reachableChannels(profile: Profile): Channel[] {
  const out: Channel[] = ['webhook'];
  for (const c of ['email', 'sms', 'push'] as const)
    if (profile.consent?.[c] !== false && recipientOf(c, profile)) out.push(c);
  return out;
}

async function writeIdempotent(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, content);
  } catch (err) {
    // The folder is made on first use only (no mkdir per message).
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(tmp, content);
  }
  await fs.rename(tmp, file);
}

const asRow = (r: AttributionInput): AttributionRow => ({ ...r, at: new Date(r.at) });

/** The `delivered` row of a send: written with the outbox row, in one transaction. */
function deliveredRow(input: SendMessageInput, deliveryId: string): AttributionRow {
  return {
    matchId: input.matchId,
    customerId: input.customerId,
    triggerId: input.triggerId,
    triggerVersion: input.triggerVersion,
    kind: 'delivered',
    channel: input.channel,
    deliveryId,
    variant: input.variant,
    at: new Date(input.at),
  };
}

/** The template context: `bindings.<as>` bound ids, `events.<as>` the events, `<as>` the last one. */
function templateContext(input: SendMessageInput, profile: Profile): Record<string, unknown> {
  const context: Record<string, unknown> = {
    profile,
    customer: { id: input.customerId },
    trigger: { id: input.triggerId, version: input.triggerVersion },
    match: { id: input.matchId },
    variant: input.variant,
    bindings: Object.fromEntries(
      Object.entries(input.bindings).map(([k, list]) => [k, list.map((e) => e.id)]),
    ),
    events: input.bindings,
  };
  for (const [name, events] of Object.entries(input.bindings))
    if (!(name in context)) context[name] = events[events.length - 1];
  return context;
}

/** The message of a send: its template rendered for the channel, with tracking links. */
async function render(
  deps: ChannelActivityDeps,
  input: SendMessageInput,
  deliveryId: string,
  profile: Profile,
) {
  const source = deps.templates()[input.templateId];
  if (source === undefined) {
    throw ApplicationFailure.nonRetryable(
      `template "${input.templateId}" not found: add templates/${input.templateId}.liquid`,
      'KAIROS_TEMPLATE_MISSING',
    );
  }
  // Webhooks are machine-to-machine: nobody opens or clicks them.
  const tracking =
    deps.tracking && input.channel !== 'webhook' ? { ...deps.tracking, deliveryId } : undefined;
  return renderTemplate(source, input.channel, templateContext(input, profile), tracking);
}

/** Hands the message to the channel's transport (none: the local outbox only). */
async function transmit(
  deps: ChannelActivityDeps,
  message: OutgoingMessage,
  at: number,
): Promise<TransportResult> {
  const transport = deps.transports[message.channel];
  if (!transport) return { transport: 'outbox', ref: null };
  try {
    return await transport.send(message, at);
  } catch (err) {
    if (err instanceof PermanentDeliveryError) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

/**
 * Channel sends. Idempotent by delivery id: a retry finds the outbox row and does not send again.
 * The outbox row, its `delivered` attribution row and the rows the journey handed over are
 * written in one statement.
 */
export function createChannelActivities(deps: ChannelActivityDeps) {
  return {
    async sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
      const deliveryId = deliveryIdOf(input.customerId, input.matchId, input.channel);
      const profile = input.profile ??
        (await deps.profiles.get(input.customerId)) ?? { customerId: input.customerId };
      const recipient = recipientOf(input.channel, profile);
      const existing = await deps.outbox.find(deliveryId);
      // The rows the journey handed over go in with the delivery (or now, for a delivery made).
      const attribution = [...(input.attribution ?? []).map(asRow), deliveredRow(input, deliveryId)];
      if (existing) {
        await deps.attribution.log(attribution);
        return {
          deliveryId,
          channel: input.channel,
          recipient,
          transport: existing.transport,
          duplicate: true,
        };
      }
      const rendered = await render(deps, input, deliveryId, profile);
      const message: OutgoingMessage = {
        deliveryId,
        channel: input.channel,
        recipient,
        subject: rendered.subject,
        body: rendered.body,
        customerId: input.customerId,
        matchId: input.matchId,
        triggerId: input.triggerId,
      };
      const result = await transmit(deps, message, input.at);
      await writeIdempotent(
        path.join(deps.outboxDir, `${deliveryId}.json`),
        `${JSON.stringify({ ...message, triggerVersion: input.triggerVersion, templateId: input.templateId, variant: input.variant, transport: result.transport, at: new Date(input.at).toISOString() }, null, 2)}\n`,
      );
      await deps.outbox.insertWithAttribution(
        {
          deliveryId,
          matchId: input.matchId,
          customerId: input.customerId,
          triggerId: input.triggerId,
          triggerVersion: input.triggerVersion,
          channel: input.channel,
          templateId: input.templateId,
          variant: input.variant,
          recipient,
          subject: rendered.subject,
          body: rendered.body,
          transport: result.transport,
          transportRef: result.ref,
        },
        attribution,
      );
      return { deliveryId, channel: input.channel, recipient, transport: result.transport, duplicate: false };
    },
  };
}

export type ChannelActivities = ReturnType<typeof createChannelActivities>;
