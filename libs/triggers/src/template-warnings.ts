// Node side: template variables that resolve to nothing for a trigger's bindings. Uses the same
// LiquidJS the worker renders with (apps/worker/src/delivery/template.ts), for its static analysis.
import { Liquid } from 'liquidjs';
import { profileFieldType } from './profile-fields';
import type { Trigger } from './trigger.schema';
import { boundNames } from './trigger-warnings';

const liquid = new Liquid();
/** The roots of the worker's template context besides the bound names (channel.activities.ts). */
const FIXED_ROOTS = ['profile', 'customer', 'trigger', 'match', 'variant', 'bindings', 'events'];
/** What a bound event carries (MatchEvent). */
const EVENT_FIELDS = ['id', 'name', 'ts', 'receivedAt', 'properties'];

function variableProblem(segments: (string | number)[], names: string[]): string | null {
  const [root, second] = segments.map(String);
  const shown = segments.join('.');
  if (root === undefined) return null;
  if (!FIXED_ROOTS.includes(root) && !names.includes(root))
    return `"${shown}" resolves to nothing: "${root}" is neither a bound name of the pattern (${names.join(', ') || 'none'}) nor one of ${FIXED_ROOTS.join(', ')}`;
  if (root === 'profile' && second !== undefined) {
    const path = ['profile', ...segments.slice(1, 3).map(String)].join('.');
    if (profileFieldType(path) === undefined && profileFieldType(`profile.${second}`) === undefined)
      return `"${shown}" resolves to nothing: the profile has no field "${second}" (custom data is under profile.attributes)`;
  }
  if ((root === 'bindings' || root === 'events') && second !== undefined && !names.includes(second))
    return `"${shown}" resolves to nothing: "${second}" is not a bound name of the pattern (${names.join(', ') || 'none'})`;
  if (
    names.includes(root) &&
    !FIXED_ROOTS.includes(root) &&
    second !== undefined &&
    !EVENT_FIELDS.includes(second)
  )
    return `"${shown}" resolves to nothing: a bound event has ${EVENT_FIELDS.join(', ')}`;
  return null;
}

/** The segments before the first computed one (`a[b.c]` is unknown statically, so the check stops there). */
function staticPrefix(segments: readonly unknown[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const s of segments) {
    if (typeof s !== 'string' && typeof s !== 'number') break;
    out.push(s);
  }
  return out;
}

/** One warning per variable of the trigger's template that cannot resolve; a template that does not parse is one warning. */
export function templateWarnings(t: Trigger, source: string): string[] {
  let segments: (string | number)[][];
  try {
    segments = liquid.globalVariableSegmentsSync(liquid.parse(source)).map(staticPrefix);
  } catch (e) {
    return [`does not parse as Liquid: ${(e as Error).message}`];
  }
  const names = boundNames(t.pattern);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of segments) {
    const problem = variableProblem(s, names);
    if (problem !== null && !seen.has(problem)) {
      seen.add(problem);
      out.push(problem);
    }
  }
  return out;
}
