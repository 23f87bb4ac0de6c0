import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

export type OutgoingMessage = {
  deliveryId: string;
  channel: 'email' | 'sms' | 'push' | 'webhook';
  recipient: string | null;
  subject: string | null;
  body: string;
  /** The body is HTML (an email template with tags, rendered with output escaping). */
  html: boolean;
  customerId: string;
  matchId: string;
  triggerId: string;
};

export type TransportResult = { transport: 'outbox' | 'smtp' | 'http'; ref: string | null };

/**
 * A channel's way out. What a retry may do with a send it finds claimed depends on the provider:
 * one that drops a repeated request with the same Idempotency-Key (`deduplicates`) is sent the
 * message again; one that cannot (SMTP) never is, since a second call may be a second message.
 */
export type Transport = {
  readonly kind: 'smtp' | 'http';
  readonly deduplicates: boolean;
  /**
   * The longest one send() takes before its own timeouts end it. A claim younger than this may
   * belong to an attempt still in flight (a local activity that timed out keeps running).
   */
  readonly maxSendMs: number;
  send(m: OutgoingMessage, now: number): Promise<TransportResult>;
};

/** Signs `<timestamp>.<body>` with HMAC-SHA256, hex: what providers verify in X-Kairos-Signature. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Errors a retry cannot fix (4xx from a provider, bad address): the activity fails without retrying. */
export class PermanentDeliveryError extends Error {
  readonly code = 'KAIROS_DELIVERY_REJECTED';
}

/**
 * The provider certainly did not take the message (refused it, or was never reached): a retry
 * may send it, even where the provider cannot deduplicate. Any other error leaves the outcome
 * unknown.
 */
export class DeliveryNotSentError extends Error {
  readonly code = 'KAIROS_DELIVERY_NOT_SENT';
}

/**
 * SMTP timeouts. nodemailer's defaults (2 minutes to connect, 10 minutes idle) outlast the send
 * activity's 1-minute start-to-close timeout: Temporal would retry while the first attempt still
 * talks to the server. Connecting (DNS, TCP, greeting, TLS) gets 5 s, each reply 15 s, and the
 * whole send SMTP_SEND_DEADLINE_MS, which leaves the activity time to record the outcome.
 * The 5-second local activity that tries a send first is shorter by design: the outbox claim
 * makes its activity retry wait for the attempt in flight instead of sending again.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 };
export const SMTP_SEND_DEADLINE_MS = 30_000;

export type SmtpTransportOptions = { url: string; from: string; deadlineMs?: number };

// Reply codes from a server that refused the message outright (the recipient, sender or content).
const REFUSAL_COMMANDS = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);
// Timeouts before the session was established: nothing of the message was written yet.
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
// Socket errors of a connection that was never made.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type SmtpError = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  permanent?: boolean;
  command?: string;
  timeoutType?: string;
};

/**
 * Sorts a nodemailer error by what it says about the message. A server reply (4xx/5xx) means the
 * server did not accept it; so do failures before the session was set up. A timeout or a dropped
 * connection later on may have come after the server took the message: the outcome is unknown.
 */
export function classifySmtpError(err: unknown, deliveryId: string): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const e = err as SmtpError;
  const what = `email ${deliveryId}: ${e.message}`;
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    if (e.permanent && e.command && REFUSAL_COMMANDS.has(e.command)) return new PermanentDeliveryError(what);
    return new DeliveryNotSentError(what);
  }
  const unreachable = e.originalCode !== undefined && UNREACHABLE.has(e.originalCode);
  const beforeSession =
    (e.timeoutType !== undefined && SETUP_TIMEOUTS.has(e.timeoutType)) ||
    ['EDNS', 'EAUTH', 'EENVELOPE', 'ETLS'].includes(e.code ?? '');
  if (unreachable || beforeSession) return new DeliveryNotSentError(what);
  return err;
}

/** Rejects after `ms` with an outcome-unknown error; the send itself is left to finish or fail. */
function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  // A late rejection of the send must not surface as unhandled.
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Email over SMTP (nodemailer). The Message-ID is derived from the delivery id so a message is
 * recognisable in the mailbox, but SMTP servers do not drop a repeated Message-ID: this
 * transport does not deduplicate, and a claimed send is never repeated.
 */
export function createSmtpTransport(options: SmtpTransportOptions) {
  const transporter = nodemailer.createTransport({ url: options.url, ...SMTP_TIMEOUTS });
  const deadlineMs = options.deadlineMs ?? SMTP_SEND_DEADLINE_MS;
  return {
    kind: 'smtp' as const,
    deduplicates: false,
    maxSendMs: deadlineMs,
    async send(m: OutgoingMessage): Promise<TransportResult> {
      if (!m.recipient)
        throw new PermanentDeliveryError(`email ${m.deliveryId}: the customer has no email address`);
      const mail = {
        from: options.from,
        to: m.recipient,
        subject: m.subject ?? '',
        ...(m.html ? { html: m.body } : { text: m.body }),
        messageId: `<${m.deliveryId}@kairos>`,
        headers: { 'X-Kairos-Delivery-Id': m.deliveryId, 'X-Kairos-Match-Id': m.matchId },
      };
      try {
        const info = await deadline(transporter.sendMail(mail), deadlineMs, `email ${m.deliveryId}`);
        return { transport: 'smtp', ref: String(info.messageId) };
      } catch (err) {
        throw classifySmtpError(err, m.deliveryId);
      }
    },
    close(): void {
      transporter.close();
    },
  } satisfies Transport & { close(): void };
}

export type HttpProviderOptions = { url: string; secret: string; timeoutMs?: number };

// 408 and 429 ask for a retry; 409 is a provider still working on a request with the same
// Idempotency-Key (the retry of a send in flight).
const RETRYABLE_4XX = new Set([408, 409, 429]);

/**
 * SMS, push and webhook providers over HTTP: a JSON POST signed with HMAC-SHA256
 * (`X-Kairos-Timestamp`, `X-Kairos-Signature: sha256=<hex>`) and `Idempotency-Key: <deliveryId>`
 * so a provider drops a retried request: delivery is at least once, and exactly once wherever
 * the provider honours the key.
 */
export function createHttpProvider(options: HttpProviderOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    kind: 'http' as const,
    deduplicates: true,
    maxSendMs: timeoutMs,
    async send(m: OutgoingMessage, now: number): Promise<TransportResult> {
      const body = JSON.stringify({
        deliveryId: m.deliveryId,
        channel: m.channel,
        to: m.recipient,
        subject: m.subject,
        body: m.body,
        customerId: m.customerId,
        matchId: m.matchId,
        triggerId: m.triggerId,
      });
      const timestamp = String(Math.floor(now / 1000));
      const res = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.deliveryId,
          'x-kairos-timestamp': timestamp,
          'x-kairos-signature': `sha256=${signPayload(options.secret, timestamp, body)}`,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status)) {
        throw new PermanentDeliveryError(
          `${m.channel} provider rejected ${m.deliveryId}: HTTP ${res.status} ${text.slice(0, 200)}`,
        );
      }
      if (!res.ok)
        throw new Error(
          `${m.channel} provider failed for ${m.deliveryId}: HTTP ${res.status} ${text.slice(0, 200)}`,
        );
      return { transport: 'http', ref: `${res.status}` };
    },
  } satisfies Transport;
}
