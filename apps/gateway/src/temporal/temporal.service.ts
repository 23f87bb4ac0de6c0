import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** The gateway's Temporal client. Connects lazily so the gateway starts even while Temporal is down. */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.connection = Connection.lazy({ address: config.temporalAddress, connectTimeout: 2_000 });
    this.client = new Client({ connection: this.connection, namespace: config.namespace });
  }

  get taskQueue(): string {
    return this.config.taskQueue;
  }

  /** True when the namespace answers within a short deadline. */
  async isReady(): Promise<boolean> {
    try {
      await this.connection.withDeadline(Date.now() + 2_000, () =>
        this.connection.workflowService.describeNamespace({ namespace: this.config.namespace }),
      );
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
