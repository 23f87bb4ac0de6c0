import { Inject, Injectable } from '@nestjs/common';
import type { Policy, Trigger } from '@kairos/triggers';
import { loadTriggerDir } from '@kairos/triggers/node';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

export type LoadedTriggers = { triggers: Trigger[]; policy: Policy | null };

/**
 * The definitions and policy of KAIROS_TRIGGERS_DIR in full, for backtests that name a loaded
 * trigger by id. Read once, as the worker reads them (the trigger catalog keeps summaries only).
 */
@Injectable()
export class LoadedTriggersService {
  private loaded: LoadedTriggers | null = null;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  get(): LoadedTriggers {
    if (this.loaded === null) {
      const r = loadTriggerDir(this.config.triggersDir);
      this.loaded = { triggers: r.triggers, policy: r.policy };
    }
    return this.loaded;
  }
}
