import { z } from 'zod';

/** One node of a PostgreSQL plan, as the plan tests assert on it (index used, relation scanned). */
export const PlanNodeSchema = z.object({
  type: z.string(),
  relation: z.string().optional(),
  index: z.string().optional(),
});
export type PlanNode = z.infer<typeof PlanNodeSchema>;

/** Every node of an EXPLAIN (FORMAT JSON) plan, flattened. */
export function planNodes(explained: unknown): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (node: Record<string, unknown>) => {
    out.push({
      type: String(node['Node Type']),
      ...(typeof node['Relation Name'] === 'string' ? { relation: node['Relation Name'] } : {}),
      ...(typeof node['Index Name'] === 'string' ? { index: node['Index Name'] } : {}),
    });
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const root = (explained as { Plan: Record<string, unknown> }[])[0];
  if (root) walk(root.Plan);
  return out;
}
