import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';

export const API_KEY_SCOPES = [
  'events:write',
  'events:import',
  'feedback:write',
  'customers:write',
  'customers:erase',
  'journeys:read',
  'reports:read',
  'triggers:backtest',
  'broadcasts:write',
  'admin',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export type ApiKeyRecord = { id: string; name: string; scopes: ApiKeyScope[]; createdAt: Date };

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** API keys, stored as SHA-256 hashes; the plaintext is shown once, at creation. */
export class ApiKeysRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates a key and returns its plaintext (`kairos_<id>_<secret>`) with the record. */
  async create(name: string, scopes: ApiKeyScope[]): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = randomBytes(6).toString('hex');
    const key = `kairos_${id}_${randomBytes(24).toString('base64url')}`;
    const result = await this.pool.query<{ created_at: Date }>(
      'INSERT INTO api_keys (id, name, key_hash, scopes) VALUES ($1, $2, $3, $4) RETURNING created_at',
      [id, name, hashSecret(key), scopes],
    );
    return { key, record: { id, name, scopes, createdAt: result.rows[0]!.created_at } };
  }

  /** Finds the active key matching a presented secret, or null. */
  async verify(presented: string): Promise<ApiKeyRecord | null> {
    const hash = hashSecret(presented);
    const result = await this.pool.query<{
      id: string;
      name: string;
      key_hash: string;
      scopes: ApiKeyScope[];
      created_at: Date;
    }>(
      'SELECT id, name, key_hash, scopes, created_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const row = result.rows[0];
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(hash))) return null;
    return { id: row.id, name: row.name, scopes: row.scopes, createdAt: row.created_at };
  }

  async count(): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL',
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    return result.rowCount === 1;
  }
}
