// Node side of the host loop: computes the instants the sandbox-safe armRequests asked for.
import type { Arming, ArmRequest } from '../calendar-arming';
import { nextInstant } from './instants';

/** The next instant of each request for this profile (zone: the profile's, else `defaultZone`, else UTC). */
export function computeArmings(
  requests: readonly ArmRequest[],
  profile: Record<string, unknown>,
  defaultZone?: string,
): Arming[] {
  return requests.map((r) => {
    const next = nextInstant(r.pattern, profile, r.after, defaultZone);
    return next.at === null
      ? { triggerId: r.triggerId, at: null, note: next.note ?? 'none' }
      : { triggerId: r.triggerId, at: next.at };
  });
}
