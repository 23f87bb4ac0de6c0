import { Inject, Injectable } from '@nestjs/common';
import { loadModelDir, modelsDirOf, type ModelCard, type ModelDefinition } from '@kairos/models';
import { ModelScoresRepository, ModelVersionsRepository, type ModelVersionStatus } from '@kairos/persistence';
import { scoreModels, type Trigger } from '@kairos/triggers';
import type { z } from 'zod';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { TriggerCatalogService } from '../triggers/trigger-catalog.service';
import type { ModelTriggerSchema } from './models.openapi';

const BINS = 20;

/** One bin of the score distribution; with calibrated scores, `expectedPositives` is the sum of the scores. */
export type ScoreBin = { from: number; to: number; customers: number; expectedPositives: number };

/** An enabled trigger reading the model's score; its outcome is in the attribution report's `lift`. */
export type ModelTrigger = z.infer<typeof ModelTriggerSchema>;

/** A model as GET /v1/models shows it (docs/api.md "Models"). */
export type ModelView = {
  id: string;
  /** The definition in KAIROS_TRIGGERS_DIR/models, or null when only stored versions remain. */
  definition: ModelDefinition | null;
  current: number | null;
  versions: { version: number; status: ModelVersionStatus; trainedAt: string; card: ModelCard }[];
  distribution: ScoreBin[];
  triggers: ModelTrigger[];
};

function modelTrigger(t: Trigger): ModelTrigger {
  const c = t.response?.conversion;
  return {
    triggerId: t.id,
    holdout: t.response?.experiment?.holdout ?? 0,
    conversion: c ? { event: c.event.name, window: c.window } : null,
  };
}

/**
 * Model cards and score distributions, read from PostgreSQL; definitions from the trigger folder,
 * and the loaded triggers reading each score (as the reports' conversion goals, read at start).
 */
@Injectable()
export class ModelsService {
  private readonly versions: ModelVersionsRepository;
  private readonly scores: ModelScoresRepository;

  constructor(
    database: DatabaseService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly catalog: TriggerCatalogService,
  ) {
    this.versions = new ModelVersionsRepository(database.pool);
    this.scores = new ModelScoresRepository(database.pool);
  }

  async list(): Promise<ModelView[]> {
    const defs = loadModelDir(modelsDirOf(this.config.triggersDir)).models;
    const rows = await this.versions.list();
    const ids = [...new Set([...defs.map((d) => d.id), ...rows.map((r) => r.modelId)])].sort();
    const triggers = this.catalog.definitions().map((t) => t.definition);
    return Promise.all(
      ids.map(async (id) => {
        const own = rows.filter((r) => r.modelId === id);
        return {
          id,
          definition: defs.find((d) => d.id === id) ?? null,
          current: own.find((r) => r.status === 'current')?.version ?? null,
          versions: own.map((r) => ({
            version: r.version,
            status: r.status,
            trainedAt: r.trainedAt.toISOString(),
            card: r.card as ModelCard,
          })),
          distribution: await this.distribution(id),
          triggers: triggers.filter((t) => scoreModels([t]).includes(id)).map(modelTrigger),
        };
      }),
    );
  }

  private async distribution(id: string): Promise<ScoreBin[]> {
    const found = new Map((await this.scores.distribution(id, BINS)).map((b) => [b.bin, b]));
    return Array.from({ length: BINS }, (_, i) => ({
      from: i / BINS,
      to: (i + 1) / BINS,
      customers: found.get(i)?.customers ?? 0,
      expectedPositives: Math.round((found.get(i)?.sum ?? 0) * 100) / 100,
    }));
  }
}
