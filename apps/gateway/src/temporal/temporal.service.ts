import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { createEncryptionCodec, type EncryptionCodec } from '@kairos/codec';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** The gateway's Temporal client. Connects lazily so the gateway starts even while Temporal is down. */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  /** The payload codec (KAIROS_ENCRYPTION_KEYS), shared with the codec endpoint; undefined = none. */
  readonly codec: EncryptionCodec | undefined;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.connection = Connection.lazy({
      address: config.temporalAddress,
      // TLS (mTLS) and the API key of Temporal Cloud, from TEMPORAL_TLS_* and TEMPORAL_API_KEY.
      ...config.temporalConnection,
      connectTimeout: 2_000,
    });
    this.codec = createEncryptionCodec(config.encryptionKeys);
    this.client = new Client({
      connection: this.connection,
      namespace: config.namespace,
      ...(this.codec ? { dataConverter: { payloadCodecs: [this.codec] } } : {}),
    });
  }

  get taskQueue(): string {
    return this.config.taskQueue;
  }

  /**
   * Runs one Temporal call under KAIROS_TEMPORAL_TIMEOUT_MS: the SDK otherwise retries an
   * unreachable server for a long time, and a client waiting on us should get a 503 instead.
   */
  call<T>(fn: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + this.config.temporalTimeoutMs, fn);
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
