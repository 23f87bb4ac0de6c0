import { Inject, Injectable } from '@nestjs/common';
import type { Policy, Trigger } from '@kairos/triggers';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import {
  loadCatalog,
  validateDefinition,
  type CatalogError,
  type TriggerCatalog,
  type TriggerSummary,
} from './trigger-catalog';

/** The trigger folder cannot be used; the message is one line naming the folder and every error. */
export class TriggersDirError extends Error {
  readonly code = 'KAIROS_TRIGGERS';

  constructor(dir: string, errors: readonly CatalogError[]) {
    const listed = errors.map((e) => (e.path === dir ? e.message : `${e.path} ${e.message}`));
    super(`KAIROS_TRIGGERS: ${dir}: ${listed.join('; ').replace(/\s+/g, ' ')}`);
  }
}

/** Loads a trigger folder, or throws TriggersDirError when it is missing or holds an invalid file. */
export function loadValidCatalog(dir: string): TriggerCatalog {
  const catalog = loadCatalog(dir);
  if (catalog.errors.length > 0) throw new TriggersDirError(dir, catalog.errors);
  return catalog;
}

/**
 * The loaded trigger set, read once from KAIROS_TRIGGERS_DIR: which event names matter (all
 * others are answered `ignored`), the definitions in full and the workspace policy (backtests).
 */
@Injectable()
export class TriggerCatalogService {
  private catalog: TriggerCatalog;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.catalog = this.load();
  }

  /**
   * Loads with @kairos/triggers. A missing folder or any invalid file stops the gateway, as it
   * stops the worker: serving with a partial set would answer `ignored` for events the worker
   * needs.
   */
  private load(): TriggerCatalog {
    return loadValidCatalog(this.config.triggersDir);
  }

  /** True when an enabled trigger, exit rule or conversion goal names this event. */
  isRelevant(eventName: string): boolean {
    return this.catalog.eventNames.has(eventName);
  }

  list(): TriggerSummary[] {
    return this.catalog.triggers;
  }

  /** The loaded definitions as journeys run them, each with its summary. */
  definitions(): (TriggerSummary & { definition: Trigger })[] {
    return this.catalog.triggers.map((t, i) => ({ ...t, definition: this.catalog.definitions[i]! }));
  }

  /** The workspace policy of the folder's `policy.json` (its defaults when there is none). */
  policy(): Policy {
    return this.catalog.policy;
  }

  eventNames(): string[] {
    return [...this.catalog.eventNames].sort();
  }

  /** The hash the worker would give the loaded set (compared with the workers' on /health/ready). */
  definitionsHash(): string | null {
    return this.catalog.definitionsHash;
  }

  loadErrors(): CatalogError[] {
    return this.catalog.errors;
  }

  validate(definition: unknown): CatalogError[] {
    return validateDefinition(definition);
  }

  /** Re-reads the directory (a changed file and a restart is the normal way); an invalid one keeps the set loaded. */
  reload(): void {
    this.catalog = this.load();
  }
}
