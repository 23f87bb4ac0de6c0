import type { Pool } from 'pg';
import { ModelVersionsRepository } from '@kairos/persistence';
import type { ModelCard } from './artifact.schema';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** The lines `models train` prints for one card. */
export function formatCard(c: ModelCard): string[] {
  const h = c.holdout;
  return [
    `${c.model} v${c.version} (${c.decision}${c.previous ? `; v${c.previous.version} had AUC ${c.previous.auc.toFixed(3)} on this holdout` : ''})`,
    `  target ${c.target}; trained on ${c.train.customers} customers, ${c.train.examples} examples in ${c.trainingMs} ms`,
    `  holdout ${h.cutoff.slice(0, 10)}: ${h.customers} customers, base rate ${pct(h.baseRate)}, AUC ${h.auc.toFixed(3)}, ` +
      `top 10 %: precision ${pct(h.precisionAtTop10)}, lift ${h.liftAtTop10.toFixed(2)}`,
    `  top features: ${c.topFeatures
      .slice(0, 5)
      .map((f) => `${f.name} ${f.weight > 0 ? '+' : ''}${f.weight}`)
      .join(', ')}`,
  ];
}

/** The lines of `models list`. */
export async function formatVersions(pool: Pool): Promise<string[]> {
  const rows = await new ModelVersionsRepository(pool).list();
  if (rows.length === 0) return ['no model version is stored yet: `npm run models -- train`'];
  return rows.map((r) => {
    const c = r.card as ModelCard;
    return `${r.modelId} v${r.version} ${r.status.padEnd(8)} ${r.trainedAt.toISOString()} AUC ${c.holdout.auc.toFixed(3)} lift ${c.holdout.liftAtTop10.toFixed(2)} (${c.holdout.customers} holdout customers)`;
  });
}
