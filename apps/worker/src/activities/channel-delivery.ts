// The claimed send: what a send does with its outbox row once rendered, and what a retry does
// with a row it finds. See docs/operations.md "Delivery guarantees" for the states.
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { AttributionRepository, AttributionRow, OutboxRepository, OutboxRow } from '@kairos/persistence';
import type { Channel } from '@kairos/triggers';
import {
  DeliveryNotSentError,
  PermanentDeliveryError,
  type OutgoingMessage,
  type Transport,
  type TransportResult,
} from '../delivery/transports';

export type SendMessageResult = {
  deliveryId: string;
  channel: Channel;
  recipient: string | null;
  transport: string;
  /** An earlier attempt of this delivery had claimed it. */
  duplicate: boolean;
  /**
   * `sent`: the provider took the message. `uncertain`: it may have (an SMTP attempt died before
   * the server's answer); it is not sent again, and the journey counts it delivered, unconfirmed.
   */
  state: 'sent' | 'uncertain';
};

/** One send in progress: its row's repositories, transport and the rows to log with it. */
export type ClaimedSend = {
  outbox: OutboxRepository;
  attributionLog: AttributionRepository;
  /** None: the local outbox file is the delivery. */
  transport: Transport | undefined;
  outboxDir: string;
  warn: (message: string, meta: Record<string, unknown>) => void;
  /** Workflow time of the send: the transport's clock and the outbox file's stamp. */
  at: number;
  /** Fields of the outbox file the row does not hold. */
  file: { triggerVersion: number; templateId: string; variant: string | null };
  /** The journey's attribution rows and the delivery's `delivered` row. */
  attribution: AttributionRow[];
};

// Time a send takes to record its outcome after its transport answered (two small writes).
const SETTLE_MARGIN_MS = 5_000;

const messageOf = (row: OutboxRow): OutgoingMessage => ({
  deliveryId: row.deliveryId,
  channel: row.channel as Channel,
  recipient: row.recipient,
  subject: row.subject,
  body: row.body,
  html: row.html ?? false,
  customerId: row.customerId,
  matchId: row.matchId,
  triggerId: row.triggerId,
});

const resultOf = (
  row: OutboxRow,
  transport: string,
  duplicate: boolean,
  state: SendMessageResult['state'],
) => ({
  deliveryId: row.deliveryId,
  channel: row.channel as Channel,
  recipient: row.recipient,
  transport,
  duplicate,
  state,
});

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

/** The local outbox file of a delivery: the same bytes however often it is written. */
async function writeOutboxFile(send: ClaimedSend, row: OutboxRow, transport: string): Promise<void> {
  const content = {
    ...messageOf(row),
    ...send.file,
    transport,
    at: new Date(send.at).toISOString(),
  };
  await writeIdempotent(
    path.join(send.outboxDir, `${row.deliveryId}.json`),
    `${JSON.stringify(content, null, 2)}\n`,
  );
}

/** The attribution rows of a send that may not have left: its `delivered` row says so. */
function unconfirmed(send: ClaimedSend, deliveryId: string): AttributionRow[] {
  return send.attribution.map((r) =>
    r.kind === 'delivered' && r.deliveryId === deliveryId
      ? { ...r, details: { ...r.details, unconfirmed: true } }
      : r,
  );
}

/** Settles a claim as `uncertain`: never sent again; logged for an operator to check the mailbox. */
async function uncertain(
  send: ClaimedSend,
  row: OutboxRow,
  duplicate: boolean,
  reason: string,
): Promise<SendMessageResult> {
  await writeOutboxFile(send, row, row.transport);
  await send.outbox.markUncertain(row.deliveryId, reason, unconfirmed(send, row.deliveryId));
  send.warn('delivery uncertain: not sent again, counted as delivered (unconfirmed)', {
    deliveryId: row.deliveryId,
    matchId: row.matchId,
    channel: row.channel,
    transport: row.transport,
    reason,
  });
  return resultOf(row, row.transport, duplicate, 'uncertain');
}

/** A transport error: releases the claim when nothing left, else keeps or settles it. */
async function transportFailed(
  send: ClaimedSend,
  row: OutboxRow,
  duplicate: boolean,
  err: unknown,
): Promise<SendMessageResult> {
  if (err instanceof PermanentDeliveryError) {
    await send.outbox.release(row.deliveryId, err.message);
    throw ApplicationFailure.nonRetryable(err.message, err.code);
  }
  if (err instanceof DeliveryNotSentError) {
    await send.outbox.release(row.deliveryId, err.message);
    throw ApplicationFailure.retryable(err.message, err.code);
  }
  // The outcome is unknown. A provider that deduplicates gets the same request again on retry
  // (the claim stays `sending`); one that cannot must not, so the claim is settled now.
  if (send.transport?.deduplicates !== false) throw err;
  return uncertain(send, row, duplicate, String(err));
}

/** Calls the transport for a claimed row, then writes the outbox file and settles the row `sent`. */
export async function deliver(
  send: ClaimedSend,
  row: OutboxRow,
  duplicate: boolean,
): Promise<SendMessageResult> {
  let result: TransportResult = { transport: 'outbox', ref: null };
  try {
    if (send.transport) result = await send.transport.send(messageOf(row), send.at);
  } catch (err) {
    return transportFailed(send, row, duplicate, err);
  }
  await writeOutboxFile(send, row, result.transport);
  await send.outbox.complete(
    row.deliveryId,
    { transport: result.transport, transportRef: result.ref },
    send.attribution,
  );
  return resultOf(row, result.transport, duplicate, 'sent');
}

/**
 * A retry that found the delivery's row. Settled rows are answered from the row. A `sending`
 * claim is sent again only where the provider deduplicates (same message, same
 * Idempotency-Key); elsewhere it waits out an attempt that may still be in flight, then
 * settles the claim `uncertain` without sending.
 */
export async function resume(send: ClaimedSend, row: OutboxRow): Promise<SendMessageResult> {
  if (row.state === 'sent' || row.state === 'uncertain') {
    await send.attributionLog.log(
      row.state === 'sent' ? send.attribution : unconfirmed(send, row.deliveryId),
    );
    return resultOf(row, row.transport, true, row.state);
  }
  const transport = send.transport;
  if (!transport || transport.deduplicates) return deliver(send, row, true);
  if ((row.claimAgeMs ?? 0) < transport.maxSendMs + SETTLE_MARGIN_MS)
    throw ApplicationFailure.retryable(
      `delivery ${row.deliveryId} is claimed by an attempt that may still be sending: retry later`,
      'KAIROS_SEND_IN_FLIGHT',
    );
  return uncertain(
    send,
    row,
    true,
    'a retry found the send claimed and never answered: the attempt that claimed it ended after calling the provider',
  );
}

/** Another attempt claimed the row between this one's look-up and its claim. */
export function claimedElsewhere(deliveryId: string): ApplicationFailure {
  return ApplicationFailure.retryable(
    `delivery ${deliveryId} was claimed by a concurrent attempt: retry later`,
    'KAIROS_SEND_IN_FLIGHT',
  );
}
