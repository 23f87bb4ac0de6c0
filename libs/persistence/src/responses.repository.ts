import type { Pool } from 'pg';

export type ResponseType = 'delivered' | 'opened' | 'clicked' | 'bounced' | 'complained' | 'unsubscribed';
export const RESPONSE_TYPES: readonly ResponseType[] = [
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
];

/** One response to a delivery: a provider callback, an opened pixel or a followed link. */
export type ResponseRow = {
  deliveryId: string;
  type: ResponseType;
  at: Date;
  matchId: string;
  customerId: string;
  triggerId: string;
  channel: string;
  variant: string | null;
  source: 'provider' | 'pixel' | 'link';
  url?: string | null;
};

/**
 * Responses to deliveries. Idempotent on (delivery, type, time); opens and clicks once per
 * delivery (responses_first_engagement_idx): only the first is kept.
 */
export class ResponsesRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Stores the response; returns false when the same (delivery, type, time) was already stored, or
   * the delivery already has an open (a click) and this is another one.
   */
  async record(row: ResponseRow): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO responses (delivery_id, type, at, match_id, customer_id, trigger_id, channel, variant, source, url)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING`,
      [
        row.deliveryId,
        row.type,
        row.at,
        row.matchId,
        row.customerId,
        row.triggerId,
        row.channel,
        row.variant,
        row.source,
        row.url ?? null,
      ],
    );
    return r.rowCount === 1;
  }

  async listForDelivery(deliveryId: string): Promise<ResponseRow[]> {
    const r = await this.pool.query<{
      delivery_id: string;
      type: ResponseType;
      at: Date;
      match_id: string;
      customer_id: string;
      trigger_id: string;
      channel: string;
      variant: string | null;
      source: ResponseRow['source'];
      url: string | null;
    }>('SELECT * FROM responses WHERE delivery_id = $1 ORDER BY at, type', [deliveryId]);
    return r.rows.map((x) => ({
      deliveryId: x.delivery_id,
      type: x.type,
      at: x.at,
      matchId: x.match_id,
      customerId: x.customer_id,
      triggerId: x.trigger_id,
      channel: x.channel,
      variant: x.variant,
      source: x.source,
      url: x.url,
    }));
  }
}
