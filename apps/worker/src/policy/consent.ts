import type { Profile } from '@kairos/contracts';
import type { Channel, Policy } from '@kairos/triggers';

/**
 * Whether the customer may be sent a message on `channel`: the profile's own flag when it has one,
 * else the workspace's `consentDefault`, else not given (docs/triggers.md §6.3). Webhooks reach
 * systems, not people, and need no consent.
 */
export function consentGiven(
  profile: Pick<Profile, 'consent'>,
  channel: Channel,
  policy: Pick<Policy, 'consentDefault'>,
): boolean {
  if (channel === 'webhook') return true;
  return profile.consent?.[channel] ?? policy.consentDefault?.[channel] ?? false;
}
