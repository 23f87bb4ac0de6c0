import { Inject, Injectable, Logger } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import {
  loadCatalog,
  validateDefinition,
  type CatalogError,
  type TriggerCatalog,
  type TriggerSummary,
} from './trigger-catalog';

/** The loaded trigger set: which event names matter (all others are answered `ignored`). */
@Injectable()
export class TriggerCatalogService {
  private readonly logger = new Logger(TriggerCatalogService.name);
  private catalog: TriggerCatalog;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.catalog = this.load();
  }

  /** Loads with @kairos/triggers; invalid definitions are left out and logged (the worker refuses to start on them). */
  private load(): TriggerCatalog {
    const catalog = loadCatalog(this.config.triggersDir);
    for (const e of catalog.errors)
      this.logger.warn(`KAIROS_TRIGGERS: ${this.config.triggersDir}: ${e.path} ${e.message}`);
    return catalog;
  }

  /** True when an enabled trigger, exit rule or conversion goal names this event. */
  isRelevant(eventName: string): boolean {
    return this.catalog.eventNames.has(eventName);
  }

  list(): TriggerSummary[] {
    return this.catalog.triggers;
  }

  eventNames(): string[] {
    return [...this.catalog.eventNames].sort();
  }

  loadErrors(): CatalogError[] {
    return this.catalog.errors;
  }

  validate(definition: unknown): CatalogError[] {
    return validateDefinition(definition);
  }

  /** Re-reads the directory (a changed file and a restart is the normal way; tests use this). */
  reload(): void {
    this.catalog = this.load();
  }
}
