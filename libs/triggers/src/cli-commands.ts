// The command line of docs/triggers.md §4, as functions returning output lines and an exit code so they
// are testable without spawning a process.
import { readFileSync } from 'node:fs';
import { eventNameProblem } from '@kairos/events';
import { createEngine } from './engine';
import { EngineConfigSchema, type EngineConfigInput } from './engine-config.schema';
import type { MatchEvent, Output } from './engine.types';
import { loadTriggers, type LoadError } from './load-dir';
import { replayCustomer } from './replay';
import { replayArming, type ReplayCalendar } from './replay-profiles';
import type { Trigger } from './trigger.schema';
import { issuesToErrors } from './validate';

/** One output line of `replay`. */
export type ReplayLine = Record<string, unknown>;

/** Epoch ms from a number or an ISO-8601 string; null when neither. */
export function parseTime(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    if (/^-?\d+$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

/** Parses `--events` JSON lines: `{customerId, id, name, ts, receivedAt, properties}`. */
export function parseEventsJsonl(text: string): {
  events: { customerId: string; event: MatchEvent }[];
  errors: string[];
} {
  const events: { customerId: string; event: MatchEvent }[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      errors.push(`line ${i + 1}: not valid JSON (${(e as Error).message})`);
      return;
    }
    const problems: string[] = [];
    if (typeof o.customerId !== 'string' || o.customerId === '')
      problems.push('"customerId" must be a non-empty string');
    if (typeof o.id !== 'string' || o.id === '') problems.push('"id" must be a non-empty string');
    const nameProblem = typeof o.name === 'string' ? eventNameProblem(o.name) : 'must be a string';
    if (nameProblem !== null) problems.push(`"name" ${nameProblem}`);
    const ts = parseTime(o.ts);
    const receivedAt = parseTime(o.receivedAt ?? o.ts);
    if (ts === null) problems.push('"ts" must be epoch milliseconds or an ISO-8601 date-time');
    if (receivedAt === null)
      problems.push('"receivedAt" must be epoch milliseconds or an ISO-8601 date-time');
    const props = o.properties ?? {};
    if (props === null || typeof props !== 'object' || Array.isArray(props))
      problems.push('"properties" must be an object');
    if (problems.length > 0) {
      errors.push(`line ${i + 1}: ${problems.join('; ')}`);
      return;
    }
    events.push({
      customerId: o.customerId as string,
      event: {
        id: o.id as string,
        name: o.name as string,
        ts: ts as number,
        receivedAt: receivedAt as number,
        properties: props as Record<string, unknown>,
      },
    });
  });
  return { events, errors };
}

function formatLoadError(e: LoadError): string {
  return [e.file, e.path, e.message].filter((x) => x !== '').join(': ');
}

/** `check <file-or-dir>`: exit 0 with a summary, or 1 with every error and its path. */
export function runCheck(
  target: string,
  config?: EngineConfigInput,
): { code: number; stdout: string[]; stderr: string[] } {
  let loaded;
  try {
    loaded = loadTriggers(target, config);
  } catch (e) {
    return { code: 1, stdout: [], stderr: [`${target}: ${(e as Error).message}`] };
  }
  // Warnings never fail the check: the definition is legal, but the author should look at it.
  const warnings = loaded.warnings.map((w) => `warning: ${formatLoadError(w)}`);
  if (loaded.errors.length > 0)
    return { code: 1, stdout: [], stderr: [...loaded.errors.map(formatLoadError), ...warnings] };
  return {
    code: 0,
    stdout: [
      `ok: ${loaded.triggers.length} trigger(s): ${loaded.triggers.map((t) => `${t.id}@${t.version}`).join(', ')}`,
      `state bound: ${loaded.stateBound.total} of ${loaded.stateBound.budget} bytes per customer`,
    ],
    stderr: warnings,
  };
}

function toLine(customerId: string, o: Output, emittedAt: number): ReplayLine {
  switch (o.type) {
    case 'match': {
      const line: ReplayLine = {
        type: 'match',
        customerId,
        triggerId: o.triggerId,
        version: o.version,
        key: o.key,
        matchId: o.matchId,
        kind: o.kind,
        matchedAt: o.matchedAt,
        emittedAt,
        bindings: o.bindings,
        status: o.status,
      };
      if (o.reason !== undefined) line.reason = o.reason;
      return line;
    }
    case 'late':
    case 'duplicate':
      return { type: o.type, customerId, eventId: o.eventId };
    case 'rejected':
      return { type: 'rejected', customerId, eventId: o.eventId, message: o.message };
    case 'evicted': {
      const { type, ...lost } = o;
      return { type, customerId, ...lost, emittedAt };
    }
  }
}

/** Replays events per customer, each with an independent engine, as the workflow would. */
export function runReplay(
  triggers: Trigger[],
  events: { customerId: string; event: MatchEvent }[],
  config?: EngineConfigInput,
  until?: number,
  calendar?: ReplayCalendar,
): ReplayLine[] {
  const order: string[] = [];
  const byCustomer: Record<string, MatchEvent[]> = {};
  for (const { customerId, event } of events) {
    let list = byCustomer[customerId];
    if (!list) {
      list = [];
      byCustomer[customerId] = list;
      order.push(customerId);
    }
    list.push(event);
  }
  // Customers with a profile but no event start at --from (default: the earliest event).
  const from = calendar?.from ?? Math.min(...events.map((e) => e.event.receivedAt));
  if (calendar && Number.isFinite(from))
    for (const c of Object.keys(calendar.profiles).sort()) if (!byCustomer[c]) order.push(c);
  const lines: ReplayLine[] = [];
  for (const c of order) {
    const engine = createEngine(triggers, config);
    const arm = replayArming(engine, triggers, c, calendar);
    const evs = byCustomer[c] ?? [];
    const start = evs.length > 0 ? undefined : from;
    for (const { output, emittedAt } of replayCustomer(engine, evs, until, { arm, start }))
      lines.push(toLine(c, output, emittedAt));
  }
  return lines;
}

/** Reads and validates an engine config file (a partial EngineConfig). */
export function readConfigFile(file: string): { config?: EngineConfigInput; errors: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    return { errors: [`${file}: cannot be read as JSON (${(e as Error).message})`] };
  }
  const r = EngineConfigSchema.safeParse(value);
  if (!r.success)
    return { errors: issuesToErrors(r.error.issues).map((e) => `${file}: ${e.path}: ${e.message}`) };
  return { config: value as EngineConfigInput, errors: [] };
}
