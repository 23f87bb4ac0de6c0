import type { Pool } from 'pg';
import { customerWorkflowId } from '@kairos/contracts';

/** An event moved from an anonymous customer to the known one, as the known journey is told it. */
export type MergedEventRow = {
  eventId: string;
  name: string;
  occurredAt: Date;
  receivedAt: Date;
  properties: Record<string, unknown> | null;
};

/** What linking did in Postgres. */
export type LinkOutcome =
  /** The anonymous id was linked to another customer first; nothing moved. */
  | { status: 'conflict'; customerId: string }
  /** Linked (now or before); `moved` rows changed customer, `done` when a previous merge completed. */
  | { status: 'linked'; moved: number; dropped: number; done: boolean };

/** Anonymous customer ids linked to known customers, and the move of their recorded events. */
export class IdentityLinksRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * In one transaction: keeps the link (the first one of an anonymous id wins) and moves the
   * anonymous customer's journey_events to the known customer. An event the known customer
   * already has (same id) is deleted rather than moved, so reports count every event once.
   */
  async link(anonymousId: string, customerId: string): Promise<LinkOutcome> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO identity_links (anonymous_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [anonymousId, customerId],
      );
      const link = await client.query<{ customer_id: string; completed_at: Date | null }>(
        'SELECT customer_id, completed_at FROM identity_links WHERE anonymous_id = $1 FOR UPDATE',
        [anonymousId],
      );
      const first = link.rows[0]!;
      if (first.customer_id !== customerId) {
        await client.query('ROLLBACK');
        return { status: 'conflict', customerId: first.customer_id };
      }
      const dropped = await client.query(
        `DELETE FROM journey_events a USING journey_events k
          WHERE a.customer_id = $1 AND k.customer_id = $2 AND k.event_id = a.event_id`,
        [anonymousId, customerId],
      );
      const moved = await client.query(
        `UPDATE journey_events SET customer_id = $2, workflow_id = $3, merged_from = $1
          WHERE customer_id = $1`,
        [anonymousId, customerId, customerWorkflowId(customerId)],
      );
      await client.query('COMMIT');
      return {
        status: 'linked',
        moved: moved.rowCount ?? 0,
        dropped: dropped.rowCount ?? 0,
        done: first.completed_at !== null,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** The latest `limit` events moved from the anonymous customer, oldest first. */
  async merged(anonymousId: string, customerId: string, limit: number): Promise<MergedEventRow[]> {
    const result = await this.pool.query<{
      event_id: string;
      name: string;
      occurred_at: Date;
      received_at: Date;
      properties: Record<string, unknown> | null;
    }>(
      `SELECT * FROM (
         SELECT event_id, name, occurred_at, received_at, properties FROM journey_events
          WHERE customer_id = $2 AND merged_from = $1
          ORDER BY occurred_at DESC, received_at DESC, event_id DESC LIMIT $3
       ) latest ORDER BY occurred_at, received_at, event_id`,
      [anonymousId, customerId, limit],
    );
    return result.rows.map((r) => ({
      eventId: r.event_id,
      name: r.name,
      occurredAt: r.occurred_at,
      receivedAt: r.received_at,
      properties: r.properties,
    }));
  }

  /** Marks the merge done: its events were handed over and the anonymous journey ended. */
  async complete(anonymousId: string): Promise<void> {
    await this.pool.query('UPDATE identity_links SET completed_at = now() WHERE anonymous_id = $1', [
      anonymousId,
    ]);
  }

  /** The known customer of each linked anonymous id among those given. */
  async resolve(anonymousIds: readonly string[]): Promise<Map<string, string>> {
    if (anonymousIds.length === 0) return new Map();
    const result = await this.pool.query<{ anonymous_id: string; customer_id: string }>(
      'SELECT anonymous_id, customer_id FROM identity_links WHERE anonymous_id = ANY($1::text[])',
      [anonymousIds],
    );
    return new Map(result.rows.map((r) => [r.anonymous_id, r.customer_id]));
  }
}
