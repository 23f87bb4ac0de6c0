import { Inject, Injectable } from '@nestjs/common';
import type { EscalationAckSignal } from '@kairos/contracts';
import { EscalationsRepository, type EscalationRow } from '@kairos/persistence';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { JourneyClient, type SignalOutcome } from '../temporal/journey.client';
import type { EscalationAck } from './escalations.schema';

export type EscalationView = Omit<EscalationRow, 'slaDeadline' | 'ackedAt' | 'createdAt'> & {
  slaDeadline: string;
  ackedAt: string | null;
  createdAt: string;
};

const view = (e: EscalationRow): EscalationView => ({
  ...e,
  slaDeadline: e.slaDeadline.toISOString(),
  ackedAt: e.ackedAt?.toISOString() ?? null,
  createdAt: e.createdAt.toISOString(),
});

/** Escalations to a human: listed from Postgres; an acknowledgement goes to the waiting journey. */
@Injectable()
export class EscalationsService {
  private readonly repo: EscalationsRepository;

  constructor(
    database: DatabaseService,
    private readonly journeys: JourneyClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.repo = new EscalationsRepository(database.pool);
  }

  async list(filter: { status?: EscalationRow['status']; customerId?: string }): Promise<EscalationView[]> {
    return (await this.repo.list(filter)).map(view);
  }

  /**
   * Signals the journey, which owns the escalation (it stops waiting, records the outcome and
   * marks the row acked). A journey that no longer runs cannot: the row is acked here instead.
   */
  async ack(id: string, ack: EscalationAck): Promise<{ id: string; status: 'signalled' | 'acked' }> {
    const e = await this.repo.get(id);
    if (!e)
      throw new ProblemException(
        404,
        'escalation-not-found',
        'Escalation not found',
        `No escalation "${id}".`,
      );
    if (e.status !== 'open')
      throw new ProblemException(
        409,
        'escalation-not-open',
        'Escalation is not open',
        `Escalation "${id}" is ${e.status}${e.ackedBy ? ` (by ${e.ackedBy}: ${e.outcome ?? ''})` : ''}.`,
      );
    const at = Date.now();
    const payload: EscalationAckSignal = { v: 1, escalationId: id, by: ack.by, outcome: ack.outcome, at };
    let outcome: SignalOutcome;
    try {
      outcome = await this.journeys.escalationAck(e.workflowId, payload);
    } catch (err) {
      throw temporalUnavailable(this.config.retryAfterS, 'The acknowledgement was not delivered', err);
    }
    if (outcome === 'signalled') return { id, status: 'signalled' };
    await this.repo.ack(id, ack.by, ack.outcome, new Date(at));
    return { id, status: 'acked' };
  }
}
