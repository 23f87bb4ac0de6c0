// Every activity the worker registers, over its explicit dependencies.
import type { Channel } from '@kairos/triggers';
import type { Pool } from 'pg';
import { Context } from '@temporalio/activity';
import {
  AttributionRepository,
  BroadcastAudienceRepository,
  BroadcastsRepository,
  EscalationsRepository,
  JourneyEventsRepository,
  OutboxRepository,
} from '@kairos/persistence';
import { createJourneySignaller } from '../broadcasts/journey-signaller';
import type { TrackingOptions } from '../delivery/tracking';
import { createBacktestActivities } from '../backtests/backtest.activities';
import { createBroadcastActivities } from './broadcast.activities';
import { createChannelActivities, type Transport } from './channel.activities';
import { createDecisionActivities } from './decisions.activities';
import { createDefinitionsActivities, type DefinitionsVersion } from './definitions.activities';
import { createEscalationActivities } from './escalation.activities';
import { createJourneyActivities, type ProfileSource } from './journey.activities';
import { toDefinitionsV1 } from './v1/definitions-v1';
import { createLegacyActivities } from './v1/legacy.activities';

export type WorkerActivityDeps = {
  pool: Pool;
  /** The definitions this worker runs new journeys on. */
  current: DefinitionsVersion;
  templates: Record<string, string>;
  profiles: ProfileSource;
  transports: Partial<Record<Channel, Transport>>;
  outboxDir: string;
  tracking?: TrackingOptions;
  escalationWebhookUrl?: string;
  historyBound: number;
  /** The journeys' task queue (a broadcast starts journeys there). */
  taskQueue: string;
};

export function createWorkerActivities(deps: WorkerActivityDeps) {
  const outbox = new OutboxRepository(deps.pool);
  const attribution = new AttributionRepository(deps.pool);
  const definitionsV1 = toDefinitionsV1(deps.current.set, {
    historyBound: deps.historyBound,
    recentLimit: 50,
  });
  return {
    ...createJourneyActivities({
      events: new JourneyEventsRepository(deps.pool),
      attribution,
    }),
    ...createChannelActivities({
      outbox,
      attribution,
      profiles: deps.profiles,
      outboxDir: deps.outboxDir,
      templates: () => deps.templates,
      transports: deps.transports,
      ...(deps.tracking ? { tracking: deps.tracking } : {}),
    }),
    ...createEscalationActivities({
      escalations: new EscalationsRepository(deps.pool),
      webhookUrl: deps.escalationWebhookUrl,
    }),
    ...createDecisionActivities({ profiles: deps.profiles, attribution }),
    ...createDefinitionsActivities({ current: () => deps.current, historyBound: deps.historyBound }),
    ...createLegacyActivities({ definitions: () => definitionsV1, profiles: deps.profiles }),
    ...createBacktestActivities({ pool: deps.pool }),
    ...createBroadcastActivities({
      broadcasts: new BroadcastsRepository(deps.pool),
      audience: new BroadcastAudienceRepository(deps.pool),
      events: new JourneyEventsRepository(deps.pool),
      journeys: createJourneySignaller(() => Context.current().client, deps.taskQueue),
    }),
  };
}
