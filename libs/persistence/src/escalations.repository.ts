import type { Pool } from 'pg';

export type EscalationRow = {
  id: string;
  matchId: string;
  customerId: string;
  workflowId: string;
  triggerId: string;
  level: number;
  target: string;
  slaDeadline: Date;
  status: 'open' | 'acked' | 'expired';
  ackedBy: string | null;
  outcome: string | null;
  ackedAt: Date | null;
  createdAt: Date;
};

type Raw = {
  id: string;
  match_id: string;
  customer_id: string;
  workflow_id: string;
  trigger_id: string;
  level: number;
  target: string;
  sla_deadline: Date;
  status: EscalationRow['status'];
  acked_by: string | null;
  outcome: string | null;
  acked_at: Date | null;
  created_at: Date;
};

const toRow = (r: Raw): EscalationRow => ({
  id: r.id,
  matchId: r.match_id,
  customerId: r.customer_id,
  workflowId: r.workflow_id,
  triggerId: r.trigger_id,
  level: r.level,
  target: r.target,
  slaDeadline: r.sla_deadline,
  status: r.status,
  ackedBy: r.acked_by,
  outcome: r.outcome,
  ackedAt: r.acked_at,
  createdAt: r.created_at,
});

/** Escalations to a human (opened by the journey, acknowledged through the gateway). */
export class EscalationsRepository {
  constructor(private readonly pool: Pool) {}

  /** Opens an escalation; returns false when this id was already opened (activity retry). */
  async open(
    row: Omit<EscalationRow, 'status' | 'ackedBy' | 'outcome' | 'ackedAt' | 'createdAt'>,
  ): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO escalations (id, match_id, customer_id, workflow_id, trigger_id, level, target, sla_deadline)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (id) DO NOTHING`,
      [
        row.id,
        row.matchId,
        row.customerId,
        row.workflowId,
        row.triggerId,
        row.level,
        row.target,
        row.slaDeadline,
      ],
    );
    return r.rowCount === 1;
  }

  /** Marks an open escalation acknowledged; false when it is not open. */
  async ack(id: string, by: string, outcome: string, at: Date): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE escalations SET status = 'acked', acked_by = $2, outcome = $3, acked_at = $4 WHERE id = $1 AND status = 'open'`,
      [id, by, outcome, at],
    );
    return r.rowCount === 1;
  }

  /** Marks an open escalation expired (its SLA passed without an ack). */
  async expire(id: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE escalations SET status = 'expired' WHERE id = $1 AND status = 'open'`,
      [id],
    );
    return r.rowCount === 1;
  }

  async get(id: string): Promise<EscalationRow | null> {
    const r = await this.pool.query<Raw>('SELECT * FROM escalations WHERE id = $1', [id]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async list(
    filter: { status?: EscalationRow['status']; customerId?: string } = {},
  ): Promise<EscalationRow[]> {
    const r = await this.pool.query<Raw>(
      `SELECT * FROM escalations WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR customer_id = $2)
       ORDER BY created_at, level`,
      [filter.status ?? null, filter.customerId ?? null],
    );
    return r.rows.map(toRow);
  }
}
