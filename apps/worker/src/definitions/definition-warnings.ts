import { EventVolumeRepository } from '@kairos/persistence';
import { eventNamePaths, formatPath, unseenEventMessage, type Trigger } from '@kairos/triggers';
import type { Pool } from 'pg';
import type { LoadedDefinitions } from '../activities';

/** How far back the stored event volume is searched for a trigger's event names (docs/triggers.md §2.8). */
export const UNSEEN_EVENT_DAYS = 30;

/**
 * Warnings, for the start-up log, about event names of the loaded triggers that no event carried
 * in the last 30 days (a typo, or a producer that does not send them yet). An unreachable
 * database, or one that received no event at all in that time, yields none: the warning is
 * advice, never a reason not to start.
 */
export async function unseenEventWarnings(
  triggers: readonly LoadedDefinitions['triggers'][number][],
  pool: Pool,
  now: Date = new Date(),
): Promise<{ trigger: string; path: string; message: string }[]> {
  const mentions = triggers
    .filter((t) => t.enabled !== false)
    // Only event names are read, which the loaded shape and Trigger share (predicates stay opaque here).
    .flatMap((t) => eventNamePaths(t as Trigger).map((m) => ({ trigger: t.id, ...m })));
  if (mentions.length === 0) return [];
  let seen: Set<string> | null;
  try {
    seen = await new EventVolumeRepository(pool).namesSeenSince(
      [...new Set(mentions.map((m) => m.name))],
      new Date(now.getTime() - UNSEEN_EVENT_DAYS * 24 * 3600 * 1000),
    );
  } catch {
    return [];
  }
  if (seen === null) return [];
  const found = seen;
  return mentions
    .filter((m) => !found.has(m.name))
    .map((m) => ({
      trigger: m.trigger,
      path: formatPath(m.path),
      message: unseenEventMessage(m.name, UNSEEN_EVENT_DAYS),
    }));
}
