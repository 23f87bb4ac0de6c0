import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

export type OutgoingMessage = {
  deliveryId: string;
  channel: 'email' | 'sms' | 'push' | 'webhook';
  recipient: string | null;
  subject: string | null;
  body: string;
  customerId: string;
  matchId: string;
  triggerId: string;
};

export type TransportResult = { transport: 'outbox' | 'smtp' | 'http'; ref: string | null };

/** Signs `<timestamp>.<body>` with HMAC-SHA256, hex: what providers verify in X-Kairos-Signature. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Errors a retry cannot fix (4xx from a provider, bad address): the activity fails without retrying. */
export class PermanentDeliveryError extends Error {
  readonly code = 'KAIROS_DELIVERY_REJECTED';
}

export type SmtpTransportOptions = { url: string; from: string };

/** Email over SMTP (nodemailer); the Message-ID is the delivery id so a resend is recognisable. */
export function createSmtpTransport(options: SmtpTransportOptions) {
  const transporter = nodemailer.createTransport(options.url);
  return {
    async send(m: OutgoingMessage): Promise<TransportResult> {
      if (!m.recipient)
        throw new PermanentDeliveryError(`email ${m.deliveryId}: the customer has no email address`);
      const info = await transporter.sendMail({
        from: options.from,
        to: m.recipient,
        subject: m.subject ?? '',
        text: m.body,
        messageId: `<${m.deliveryId}@kairos>`,
        headers: { 'X-Kairos-Delivery-Id': m.deliveryId, 'X-Kairos-Match-Id': m.matchId },
      });
      return { transport: 'smtp', ref: String(info.messageId) };
    },
    close(): void {
      transporter.close();
    },
  };
}

export type HttpProviderOptions = { url: string; secret: string; timeoutMs?: number };

/**
 * SMS, push and webhook providers over HTTP: a JSON POST signed with HMAC-SHA256
 * (`X-Kairos-Timestamp`, `X-Kairos-Signature: sha256=<hex>`) and `Idempotency-Key: <deliveryId>`
 * so a provider drops a retried request.
 */
export function createHttpProvider(options: HttpProviderOptions) {
  return {
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
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
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
  };
}
