// Turns a POST /v1/backtests body into the spec the worker runs: ids resolved to the loaded
// definitions, drafts validated with the rules and messages of POST /v1/triggers/validate.
import { validateTriggerSet, type BacktestJobSpec, type EngineConfigInput } from '@kairos/triggers';
import type { ProblemField } from '../common/problem';
import type { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import type { BacktestRequest, BacktestView } from './backtest.schemas';

/** What a request is resolved against: the trigger set and policy loaded from KAIROS_TRIGGERS_DIR. */
type LoadedSet = Pick<TriggerCatalogService, 'definitions' | 'policy'>;

export type ResolvedBacktest =
  | { ok: true; spec: BacktestJobSpec; summary: BacktestView['request'] }
  | { ok: false; errors: ProblemField[] };

/** `[2].pattern` (the validator's set paths) -> `triggers[2].pattern`; the config's -> `engine`. */
function requestPath(path: string): string {
  if (path === 'config') return 'engine';
  if (path === '') return 'triggers';
  return path.startsWith('[') ? `triggers${path}` : `triggers.${path}`;
}

export function resolveBacktest(req: BacktestRequest, loaded: LoadedSet): ResolvedBacktest {
  const errors: ProblemField[] = [];
  const definitions = req.triggers.map((ref, i) => {
    if (typeof ref !== 'string') return ref;
    const found = loaded.definitions().find((t) => t.id === ref)?.definition;
    if (!found)
      errors.push({
        path: `triggers[${i}]`,
        message: `no loaded trigger has id "${ref}": GET /v1/triggers lists them, or send the whole definition`,
      });
    return found ?? {};
  });
  if (errors.length > 0) return { ok: false, errors };
  const engine = req.engine as EngineConfigInput | undefined;
  const v = validateTriggerSet(definitions, engine);
  if (!v.ok)
    return { ok: false, errors: v.errors.map((e) => ({ path: requestPath(e.path), message: e.message })) };
  const from = Date.parse(req.from);
  const to = Date.parse(req.to);
  return {
    ok: true,
    spec: {
      triggers: v.triggers,
      ...(req.engine ? { engine: req.engine } : {}),
      from,
      to,
      ...(req.customers ? { customers: req.customers } : {}),
      ...(req.sample !== undefined ? { sample: req.sample } : {}),
      policy: req.policy ? loaded.policy() : null,
    },
    summary: {
      triggers: v.triggers.map((t, i) => ({
        id: t.id,
        version: t.version,
        draft: typeof req.triggers[i] !== 'string',
      })),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ...(req.customers ? { customers: req.customers } : {}),
      ...(req.sample !== undefined ? { sample: req.sample } : {}),
      policy: req.policy,
    },
  };
}
