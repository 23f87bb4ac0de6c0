import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { createPool } from '@kairos/persistence';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** The gateway's pg pool. */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.pool = createPool(config.databaseUrl, 'kairos-gateway');
  }

  async isReady(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
