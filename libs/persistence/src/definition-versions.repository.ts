import type { Pool } from 'pg';

export type DefinitionVersionRow = { hash: string; body: unknown; firstSeen: Date };

/** Definition sets by content hash, append-only: a hash, once stored, always names the same body. */
export class DefinitionVersionsRepository {
  constructor(private readonly pool: Pool) {}

  /** Stores a version unless it is known; returns whether it was new. */
  async remember(hash: string, body: unknown): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO definition_versions (hash, body) VALUES ($1, $2::jsonb) ON CONFLICT (hash) DO NOTHING',
      [hash, JSON.stringify(body)],
    );
    return r.rowCount === 1;
  }

  /** Every stored version, oldest first. */
  async list(): Promise<DefinitionVersionRow[]> {
    const r = await this.pool.query<{ hash: string; body: unknown; first_seen: Date }>(
      'SELECT hash, body, first_seen FROM definition_versions ORDER BY first_seen, hash',
    );
    return r.rows.map((x) => ({ hash: x.hash, body: x.body, firstSeen: x.first_seen }));
  }
}
