import type { Pool } from 'pg';

export type ModelVersionStatus = 'current' | 'retired' | 'rejected';

/** A stored model version: card and artifact as JSON (their shapes belong to @kairos/models). */
export type ModelVersionRow = {
  modelId: string;
  version: number;
  definitionVersion: number;
  status: ModelVersionStatus;
  trainedAt: Date;
  card: unknown;
  artifact: unknown;
};

/** The columns but the artifact, aliased to the row's field names: pg returns the row as is. */
const CARD_COLUMNS = `model_id AS "modelId", version, definition_version AS "definitionVersion", status,
  trained_at AS "trainedAt", card`;

/** Trained model versions (table `model_versions`). */
export class ModelVersionsRepository {
  constructor(private readonly pool: Pool) {}

  /** The version that scores customers, or null before the first accepted training. */
  async current(modelId: string): Promise<ModelVersionRow | null> {
    const r = await this.pool.query<ModelVersionRow>(
      `SELECT ${CARD_COLUMNS}, artifact FROM model_versions WHERE model_id = $1 AND status = 'current'`,
      [modelId],
    );
    return r.rows[0] ?? null;
  }

  /** Every version of every model (or of one), newest first, with its card but not its artifact. */
  async list(modelId?: string): Promise<Omit<ModelVersionRow, 'artifact'>[]> {
    const r = await this.pool.query<Omit<ModelVersionRow, 'artifact'>>(
      `SELECT ${CARD_COLUMNS} FROM model_versions WHERE $1::text IS NULL OR model_id = $1
        ORDER BY model_id, version DESC`,
      [modelId ?? null],
    );
    return r.rows;
  }

  /**
   * Stores a new version under the next number. With `promote`, it becomes `current` and the
   * previous current one `retired`, in one transaction; otherwise it is stored `rejected`.
   * `build` receives the number, so the card can carry it.
   */
  async add(
    modelId: string,
    definitionVersion: number,
    promote: boolean,
    build: (version: number) => { card: unknown; artifact: unknown },
  ): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One trainer at a time per model: the lock serialises the version numbers.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kairos-model:${modelId}`]);
      const next = await client.query<{ v: number }>(
        'SELECT coalesce(max(version), 0) + 1 AS v FROM model_versions WHERE model_id = $1',
        [modelId],
      );
      const version = next.rows[0]!.v;
      const { card, artifact } = build(version);
      if (promote)
        await client.query(
          `UPDATE model_versions SET status = 'retired' WHERE model_id = $1 AND status = 'current'`,
          [modelId],
        );
      await client.query(
        `INSERT INTO model_versions (model_id, version, definition_version, status, card, artifact)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
        [
          modelId,
          version,
          definitionVersion,
          promote ? 'current' : 'rejected',
          JSON.stringify(card),
          JSON.stringify(artifact),
        ],
      );
      await client.query('COMMIT');
      return version;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
