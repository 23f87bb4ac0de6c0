import { createHash } from 'node:crypto';
import type { EscalationsRepository } from '@kairos/persistence';

export type EscalationActivityDeps = {
  escalations: EscalationsRepository;
  /** Slack-compatible incoming webhook used when the target is a channel name, not a URL. */
  webhookUrl?: string;
};

export type OpenEscalationInput = {
  matchId: string;
  customerId: string;
  workflowId: string;
  triggerId: string;
  level: number;
  target: string;
  slaDeadline: number;
  summary: string;
};

/** Escalation id: one per customer, match and level, so a retry finds the same row. */
export function escalationIdOf(customerId: string, matchId: string, level: number): string {
  return `esc_${createHash('sha256').update(`${customerId}\u0000${matchId}\u0000${level}`).digest('hex').slice(0, 24)}`;
}

/** Escalations to a human: a Postgres row plus a Slack-compatible webhook post. */
export function createEscalationActivities(deps: EscalationActivityDeps) {
  return {
    async openEscalation(
      input: OpenEscalationInput,
    ): Promise<{ escalationId: string; created: boolean; notified: boolean }> {
      const escalationId = escalationIdOf(input.customerId, input.matchId, input.level);
      const created = await deps.escalations.open({
        id: escalationId,
        matchId: input.matchId,
        customerId: input.customerId,
        workflowId: input.workflowId,
        triggerId: input.triggerId,
        level: input.level,
        target: input.target,
        slaDeadline: new Date(input.slaDeadline),
      });
      const url = /^https?:\/\//.test(input.target) ? input.target : deps.webhookUrl;
      if (!url) return { escalationId, created, notified: false };
      // Posted on every attempt until one succeeds: a chat message twice is better than none.
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': escalationId },
        body: JSON.stringify({
          text: `:rotating_light: ${input.summary} (customer ${input.customerId}, trigger ${input.triggerId}, ack by ${new Date(input.slaDeadline).toISOString()}, id ${escalationId})`,
          ...(url === deps.webhookUrl && !/^https?:\/\//.test(input.target) ? { channel: input.target } : {}),
          escalationId,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`escalation webhook answered HTTP ${res.status}`);
      return { escalationId, created, notified: true };
    },

    async resolveEscalation(input: {
      escalationId: string;
      status: 'acked' | 'expired';
      by?: string;
      outcome?: string;
      at: number;
    }): Promise<{ changed: boolean }> {
      const changed =
        input.status === 'acked'
          ? await deps.escalations.ack(
              input.escalationId,
              input.by ?? 'unknown',
              input.outcome ?? 'accepted',
              new Date(input.at),
            )
          : await deps.escalations.expire(input.escalationId);
      return { changed };
    },
  };
}

export type EscalationActivities = ReturnType<typeof createEscalationActivities>;
