import { createHash } from 'node:crypto';
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Profile } from '@kairos/contracts';
import type { AttributionRepository, AttributionRow, OutboxRepository, OutboxRow } from '@kairos/persistence';
import type { Channel, MatchEvent } from '@kairos/triggers';
import { parseTemplate, renderTemplate } from '../delivery/template';
import { isHtmlTemplate } from '../delivery/template-literals';
import type { TrackingOptions } from '../delivery/tracking';
import type { Transport } from '../delivery/transports';
import {
  claimedElsewhere,
  deliver,
  resume,
  type ClaimedSend,
  type SendMessageResult,
} from './channel-delivery';
import type { AttributionInput, ProfileSource } from './journey.activities';

export type { Transport } from '../delivery/transports';
export type { SendMessageResult } from './channel-delivery';

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
  /** Where a delivery left uncertain is reported (default: the activity's logger). */
  warn?: (message: string, meta: Record<string, unknown>) => void;
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
  const rendered = await renderTemplate(source, input.channel, templateContext(input, profile), tracking);
  // The same test renderTemplate applies: an email body is HTML when its author wrote tags.
  const html = input.channel === 'email' && isHtmlTemplate(parseTemplate(source).body);
  return { ...rendered, html };
}

// Outside an activity (tests call the functions directly) there is no activity logger.
function defaultWarn(message: string, meta: Record<string, unknown>): void {
  try {
    log.warn(message, meta);
  } catch {
    console.warn(message, meta);
  }
}

/** The outbox row a send claims: the message as rendered, kept for a retry to send the same. */
function claimRow(
  input: SendMessageInput,
  deliveryId: string,
  recipient: string | null,
  rendered: { subject: string | null; body: string; html: boolean },
  transport: Transport | undefined,
): OutboxRow {
  return {
    deliveryId,
    matchId: input.matchId,
    customerId: input.customerId,
    triggerId: input.triggerId,
    triggerVersion: input.triggerVersion,
    channel: input.channel,
    templateId: input.templateId,
    variant: input.variant,
    recipient,
    ...rendered,
    transport: transport?.kind ?? 'outbox',
    transportRef: null,
  };
}

/**
 * Channel sends, at most once per delivery id where the provider cannot deduplicate (SMTP) and
 * at least once, with one Idempotency-Key, where it can (HTTP providers). The outbox row is
 * claimed before the transport is called; a retry finds the claim (channel-delivery.ts). The
 * row is settled with its `delivered` attribution row and the rows the journey handed over.
 */
export function createChannelActivities(deps: ChannelActivityDeps) {
  return {
    async sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
      const deliveryId = deliveryIdOf(input.customerId, input.matchId, input.channel);
      const send: ClaimedSend = {
        outbox: deps.outbox,
        attributionLog: deps.attribution,
        transport: deps.transports[input.channel],
        outboxDir: deps.outboxDir,
        warn: deps.warn ?? defaultWarn,
        at: input.at,
        file: { triggerVersion: input.triggerVersion, templateId: input.templateId, variant: input.variant },
        // The rows the journey handed over go in with the delivery (or now, for a delivery made).
        attribution: [...(input.attribution ?? []).map(asRow), deliveredRow(input, deliveryId)],
      };
      const existing = await deps.outbox.find(deliveryId);
      if (existing && existing.state !== 'failed') return resume(send, existing);
      const profile = input.profile ??
        (await deps.profiles.get(input.customerId)) ?? { customerId: input.customerId };
      const rendered = await render(deps, input, deliveryId, profile);
      const recipient = recipientOf(input.channel, profile);
      const row = claimRow(input, deliveryId, recipient, rendered, send.transport);
      if (!(await deps.outbox.claim(row))) throw claimedElsewhere(deliveryId);
      return deliver(send, row, false);
    },
  };
}

export type ChannelActivities = ReturnType<typeof createChannelActivities>;
