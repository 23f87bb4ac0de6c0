// Builds the match outputs of docs/triggers.md §4 (bindings, eventIds, matchId). Runs once per
// candidate match, so the per-trigger constant parts are prepared once per compiled set.
import type { CompiledSet, CTrigger } from './compile';
import type { MatchOutput, Rec } from './engine.types';
import { sha256Append, sha256Begin, sha256End } from './hash';

/** Per trigger of a set: the JSON head `[id,version,` of the matchId text and the bindings' key order. */
export type MatchShapes = { heads: string[]; bindings: Record<string, string[]>[] };

const shapesCache = new WeakMap<CompiledSet, MatchShapes>();

export function matchShapesOf(set: CompiledSet): MatchShapes {
  let shapes = shapesCache.get(set);
  if (shapes === undefined) {
    shapes = {
      heads: set.triggers.map((T) => `${JSON.stringify([T.id, T.version]).slice(0, -1)},`),
      // Filled in the order of bindingKeys, so a copy has the key order of a fresh fill.
      bindings: set.triggers.map((T) => {
        const tpl: Record<string, string[]> = {};
        for (const e of T.bindingKeys) tpl[e.key] = [];
        return tpl;
      }),
    };
    shapesCache.set(set, shapes);
  }
  return shapes;
}

/** (time, seq) order of records. */
export function recCmp(a: Rec, b: Rec): number {
  return a[1] - b[1] || a[2] - b[2];
}

/**
 * Stable in-place sort, as Array.prototype.sort but without its temporary copy: the lists sorted
 * per event (a step's records, a key's partials) are short and usually sorted already.
 */
export function insertionSort<T>(l: T[], cmp: (a: T, b: T) => number): T[] {
  for (let i = 1; i < l.length; i++) {
    const x = l[i] as T;
    let j = i - 1;
    while (j >= 0 && cmp(l[j] as T, x) > 0) {
      l[j + 1] = l[j] as T;
      j--;
    }
    l[j + 1] = x;
  }
  return l;
}

/** Appends JSON.stringify(s) to the running SHA-256, without the call when nothing needs escaping. */
function appendJsonString(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c < 0xe000)) {
      sha256Append(JSON.stringify(s));
      return;
    }
  }
  sha256Append('"');
  sha256Append(s);
  sha256Append('"');
}

/** = sha256(JSON.stringify([T.id, T.version, key, eventIds, deadline])), first 32 hex digits. */
function matchIdOf(head: string, key: string, eventIds: string[], deadline: number | null): string {
  sha256Begin();
  sha256Append(head);
  appendJsonString(key);
  sha256Append(',[');
  for (let i = 0; i < eventIds.length; i++) {
    if (i > 0) sha256Append(',');
    appendJsonString(eventIds[i] as string);
  }
  sha256Append(deadline === null ? '],null]' : `],${JSON.stringify(deadline)}]`);
  return sha256End(4);
}

/** Ids of the records bound by one of `atoms`, in order. */
function boundIds(recs: Rec[] | undefined | null, atoms: number[]): string[] {
  const ids: string[] = [];
  if (recs) for (const r of recs) if (atoms.includes(r[3])) ids.push(r[0]);
  return ids;
}

export function makeMatch(
  T: CTrigger,
  shapes: MatchShapes,
  key: string,
  b: Rec[][],
  kind: MatchOutput['kind'],
  matchedAt: number,
  deadline: number | null,
): MatchOutput {
  // Each step's events in (time, seq) order, copied only where a step holds several; saved
  // states may hold null for an empty step. (Output arrays are pushed, never `new Array(n)`:
  // JSON.stringify is slow on holey arrays.)
  let steps = b;
  const eventIds: string[] = [];
  for (let i = 0; i < b.length; i++) {
    let recs = b[i];
    if (!recs) continue;
    if (recs.length > 1) {
      if (steps === b) steps = b.slice();
      recs = insertionSort(recs.slice(), recCmp);
      steps[i] = recs;
    }
    for (const r of recs) eventIds.push(r[0]);
  }
  const bindings: Record<string, string[]> = { ...(shapes.bindings[T.index] as Record<string, string[]>) };
  for (const e of T.bindingKeys) bindings[e.key] = boundIds(steps[e.step], e.atoms);
  const m: MatchOutput = {
    type: 'match',
    triggerId: T.id,
    version: T.version,
    key,
    matchId: matchIdOf(shapes.heads[T.index] as string, key, eventIds, deadline),
    kind,
    matchedAt,
    bindings,
    eventIds,
    priority: T.priority,
    status: 'fired',
  };
  if (T.group !== null) m.group = T.group;
  return m;
}
