import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiKeysRepository, type ApiKeyRecord } from '@kairos/persistence';
import { ProblemException } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';

const MAX_CACHED = 10_000;

/**
 * Verifies presented API keys against Postgres. A verified key is trusted for
 * KAIROS_API_KEY_CACHE_MS without asking again (keeps the hot path off the database); a
 * revocation therefore takes effect within that time. Unknown keys are never cached.
 */
@Injectable()
export class ApiKeysService {
  private readonly repo: ApiKeysRepository;
  private readonly cache = new Map<string, { record: ApiKeyRecord; until: number }>();

  constructor(
    database: DatabaseService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.repo = new ApiKeysRepository(database.pool);
  }

  async verify(presented: string): Promise<ApiKeyRecord | null> {
    const ttl = this.config.apiKeyCacheMs;
    const cacheKey = createHash('sha256').update(presented).digest('base64');
    const now = Date.now();
    const hit = ttl > 0 ? this.cache.get(cacheKey) : undefined;
    if (hit && hit.until > now) return hit.record;
    let record: ApiKeyRecord | null;
    try {
      record = await this.repo.verify(presented);
    } catch (err) {
      throw new ProblemException(
        503,
        'database-unavailable',
        'Postgres is unreachable',
        `API keys cannot be verified (${String(err)}); retry later.`,
        undefined,
        {
          'retry-after': String(this.config.retryAfterS),
        },
      );
    }
    if (record && ttl > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(cacheKey, { record, until: now + ttl });
    } else this.cache.delete(cacheKey);
    return record;
  }
}
