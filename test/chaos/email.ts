// The email side of the chaos suite: customers who can be mailed, and the accounting of SMTP
// sends against the outbox. SMTP cannot deduplicate, so Kairos sends at most once
// (docs/operations.md "Delivery guarantees"): a send cut off by a fault is settled `uncertain`
// and never repeated, whether or not the server had taken the message.
import type { Stack } from './stack';

/** Gives a customer an address and email consent (consent is not given by default). */
export async function putMailProfile(stack: Stack, customerId: string): Promise<void> {
  const res = await fetch(`${stack.gatewayUrl}/v1/customers/${encodeURIComponent(customerId)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${customerId}@chaos.example`, consent: { email: true } }),
  });
  if (res.status >= 300) throw new Error(`profile of ${customerId}: ${res.status} ${await res.text()}`);
}

export type EmailAccounting = {
  /** Email outbox rows of the prefix, by state. */
  rows: number;
  sent: number;
  uncertain: number;
  /** Claims not settled (yet): `sending`. */
  sending: number;
  failed: number;
  /** Messages the SMTP sink took for these deliveries, and how many of them repeated an id. */
  received: number;
  repeats: number;
  /** `sent` rows the sink never saw: a send reported done that did not happen. */
  sentNotReceived: number;
  /** `uncertain` rows the sink did take (the fault cut off the 250 answer): delivered, unconfirmed. */
  uncertainReceived: number;
  /** `uncertain` rows the sink never saw: claimed, then the worker died before sending; never sent. */
  uncertainNotReceived: number;
  /** Messages whose id is no email delivery of the prefix. */
  unknown: number;
};

/** Compares the email outbox rows of customers with this prefix with what the SMTP sink took. */
export async function accountEmail(stack: Stack, prefix: string): Promise<EmailAccounting> {
  const rows = await stack.pool.query<{ delivery_id: string; state: string }>(
    "SELECT delivery_id, state FROM outbox WHERE customer_id LIKE $1 AND channel = 'email'",
    [`${prefix}%`],
  );
  const ids = new Set(rows.rows.map((r) => r.delivery_id));
  const received = stack.smtp.received.filter((id) => ids.has(id));
  const taken = new Set(received);
  const inState = (state: string) => rows.rows.filter((r) => r.state === state);
  const uncertain = inState('uncertain');
  return {
    rows: rows.rows.length,
    sent: inState('sent').length,
    uncertain: uncertain.length,
    sending: inState('sending').length,
    failed: inState('failed').length,
    received: received.length,
    repeats: received.length - taken.size,
    sentNotReceived: inState('sent').filter((r) => !taken.has(r.delivery_id)).length,
    uncertainReceived: uncertain.filter((r) => taken.has(r.delivery_id)).length,
    uncertainNotReceived: uncertain.filter((r) => !taken.has(r.delivery_id)).length,
    unknown: stack.smtp.received.length - received.length,
  };
}
