// The activities the v2 journey calls, with their timeouts and (always bounded) retry policies.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type {
  ChannelActivities,
  DecisionActivities,
  DefinitionsActivities,
  EscalationActivities,
  JourneyActivities,
} from '../activities';

export const { recordEvents, logAttribution } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  // A day of retries rides out a Postgres outage; past it the journey fails loudly, not silently.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 1500 },
});

// Deliveries give up after ~1 hour of retries so a dead provider marks the response failed
// (and lets a fallback channel take over) instead of blocking the journey forever.
export const { sendMessage } = proxyActivities<ChannelActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export const { openEscalation, resolveEscalation } = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 1500 },
});

// Decisions (definitions, profile, time zones, policy): local activities, recorded as markers.
export const { loadDefinitionSet } = proxyLocalActivities<DefinitionsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 100 },
});
export const { decideMatch, planSend } = proxyLocalActivities<DecisionActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 100 },
});
