import type { CTrigger } from './compile';
import type { EvictedOutput, KeyState, PartialState, Rec } from './engine.types';

function idsOf(lists: Rec[][][]): string[] {
  const ids: string[] = [];
  for (const perSlot of lists)
    for (const recs of perSlot) for (const r of recs) if (!ids.includes(r[0])) ids.push(r[0]);
  return ids;
}

function partialLists(p: PartialState): Rec[][][] {
  return p.pw === undefined ? [p.b] : [p.b, p.pw];
}

/** What a partial match held when `maxPartialsPerKey` evicted it (docs/triggers.md §5). */
export function partialEvicted(T: CTrigger, key: string, p: PartialState): EvictedOutput {
  return {
    type: 'evicted',
    triggerId: T.id,
    key,
    what: 'partial',
    partials: 1,
    eventIds: idsOf(partialLists(p)),
    reentry: false,
    inactivity: false,
  };
}

/** What a key held when `maxKeys` evicted it: partials, window events, re-entry, inactivity. */
export function keyEvicted(T: CTrigger, key: string, ks: KeyState): EvictedOutput {
  const lists: Rec[][][] = (ks.p ?? []).flatMap(partialLists);
  if (ks.w !== undefined) lists.push(ks.w);
  if (ks.ia?.l) lists.push([[ks.ia.l]]);
  return {
    type: 'evicted',
    triggerId: T.id,
    key,
    what: 'key',
    partials: ks.p?.length ?? 0,
    eventIds: idsOf(lists),
    reentry: ks.f !== undefined,
    inactivity: ks.ia !== undefined,
  };
}
