import {
  TriggerSchema,
  eventNamePaths,
  formatPath,
  triggerWarnings,
  unseenEventMessage,
  type Trigger,
} from '@kairos/triggers';
import type { CatalogError } from './trigger-catalog';

/** How far back the stored event volume is searched for an event name (docs/triggers.md §2.8). */
export const UNSEEN_EVENT_DAYS = 30;

/** Which of the given event names were received since a date; null when the store cannot be read or holds no event since then. */
export type SeenEventNames = (names: string[], since: Date) => Promise<Set<string> | null>;

/** The definitions of a validate body that parse, each with the path prefix it is reported under. */
function parsedDefinitions(input: unknown): { trigger: Trigger; prefix: (string | number)[] }[] {
  const items = Array.isArray(input) ? input : [input];
  return items.flatMap((item, i) => {
    const r = TriggerSchema.safeParse(item);
    return r.success ? [{ trigger: r.data, prefix: Array.isArray(input) ? [i] : [] }] : [];
  });
}

/**
 * What is legal but suspicious in a validate body: predicates that can never be true and, when
 * the event store answers, event names nothing carried in the last 30 days. Paths as in errors.
 */
export async function definitionWarnings(
  input: unknown,
  seen: SeenEventNames,
  now: Date = new Date(),
): Promise<CatalogError[]> {
  const defs = parsedDefinitions(input);
  const warnings: CatalogError[] = defs.flatMap(({ trigger, prefix }) =>
    triggerWarnings(trigger).map((w) => ({ path: formatPath([...prefix, ...w.path]), message: w.message })),
  );
  const mentions = defs.flatMap(({ trigger, prefix }) =>
    eventNamePaths(trigger).map((m) => ({ ...m, path: [...prefix, ...m.path] })),
  );
  const since = new Date(now.getTime() - UNSEEN_EVENT_DAYS * 24 * 3600 * 1000);
  const found = await seen([...new Set(mentions.map((m) => m.name))], since);
  if (found === null) return warnings;
  for (const m of mentions)
    if (!found.has(m.name))
      warnings.push({ path: formatPath(m.path), message: unseenEventMessage(m.name, UNSEEN_EVENT_DAYS) });
  return warnings;
}
