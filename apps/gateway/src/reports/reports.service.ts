import { Inject, Injectable } from '@nestjs/common';
import {
  ReportsRepository,
  type AttributionCell,
  type AttributionModel,
  type CohortCell,
  type ResponseCell,
} from '@kairos/persistence';
import { DEFAULT_COST_PER_MESSAGE, GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import { ConversionGoalsService } from './conversion-goals.service';
import {
  DEFAULT_ANOMALY,
  densify,
  flagAnomalies,
  lift,
  wilson,
  type Lift,
  type Rate,
  type VolumePoint,
} from './report-math';
import type { ReportQuery } from './reports.schema';

export type VolumeSeries = { key: string; total: number; anomalies: number; points: VolumePoint[] };
export type VolumeReport = {
  from: string;
  to: string;
  bucket: string;
  baseline: typeof DEFAULT_ANOMALY;
  triggers: VolumeSeries[];
  events: VolumeSeries[];
};

export type ArmSummary = { matches: number; converted: Rate; revenue: number };
export type TriggerLift = {
  triggerId: string;
  treated: ArmSummary;
  holdout: ArmSummary | null;
  lift: Lift;
  /** Revenue the treated matches brought beyond what the same number of holdout matches did. */
  incrementalRevenue: number | null;
};

const round = (v: number, digits = 6): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** The measurement reports (docs/api.md §8): SQL in ReportsRepository, statistics in report-math. */
@Injectable()
export class ReportsService {
  private readonly repo: ReportsRepository;
  private readonly costs: Readonly<Record<string, number>>;

  constructor(
    database: DatabaseService,
    private readonly goals: ConversionGoalsService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.repo = new ReportsRepository(database.pool);
    this.costs = config.costPerMessage ?? DEFAULT_COST_PER_MESSAGE;
  }

  /** Fired matches per trigger and events per name, per bucket, each bucket judged against the previous ones. */
  async volume(q: ReportQuery): Promise<VolumeReport> {
    const bucketMs = q.bucketSeconds * 1000;
    // Buckets aligned to the epoch (as the SQL bins them), with a baseline's worth of history before `from`.
    const start = Math.floor(q.from.getTime() / bucketMs) * bucketMs;
    const historyStart = start - DEFAULT_ANOMALY.window * bucketMs;
    const end = q.to.getTime();
    const range = { from: new Date(historyStart), to: q.to, triggerId: q.triggerId };
    const [triggers, events] = await Promise.all([
      this.repo.triggerVolume(range, q.bucketSeconds),
      this.repo.eventVolume(range, q.bucketSeconds),
    ]);
    const series = (cells: typeof triggers): VolumeSeries[] =>
      [...densify(cells, historyStart, end, bucketMs)].map(([key, counts]) => {
        const flags = flagAnomalies(counts);
        const points: VolumePoint[] = [];
        for (let i = DEFAULT_ANOMALY.window; i < counts.length; i += 1)
          points.push({
            at: new Date(historyStart + i * bucketMs).toISOString(),
            count: counts[i] ?? 0,
            baseline:
              flags[i]?.baseline === null || flags[i] === undefined ? null : round(flags[i]!.baseline!, 3),
            z: flags[i]?.z ?? null,
            anomaly: flags[i]?.anomaly ?? null,
          });
        return {
          key,
          total: points.reduce((a, p) => a + p.count, 0),
          anomalies: points.filter((p) => p.anomaly !== null).length,
          points,
        };
      });
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      bucket: q.bucket,
      baseline: DEFAULT_ANOMALY,
      triggers: series(triggers),
      events: series(events),
    };
  }

  /** Response rates per trigger, channel and variant, and per trigger the conversion of treated vs holdout. */
  async responses(q: ReportQuery): Promise<{
    from: string;
    to: string;
    rows: (ResponseCell & { openRate: Rate; clickRate: Rate; bounceRate: Rate; unsubscribeRate: Rate })[];
    triggers: TriggerLift[];
  }> {
    const range = { from: q.from, to: q.to, triggerId: q.triggerId };
    const [cells, cohorts] = await Promise.all([
      this.repo.responses(range),
      this.repo.cohorts(range, this.goals.goals()),
    ]);
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      rows: cells.map((c) => ({
        ...c,
        openRate: wilson(c.opened, c.deliveries),
        clickRate: wilson(c.clicked, c.deliveries),
        bounceRate: wilson(c.bounced, c.deliveries),
        unsubscribeRate: wilson(c.unsubscribed, c.deliveries),
      })),
      triggers: this.lifts(cohorts),
    };
  }

  /** Conversions and revenue credited to deliveries under a model, and the lift over the holdout. */
  async attribution(q: ReportQuery): Promise<{
    from: string;
    to: string;
    model: AttributionModel;
    rows: (AttributionCell & { conversionRate: number | null })[];
    triggers: { triggerId: string; deliveries: number; conversions: number; revenue: number }[];
    lift: TriggerLift[];
  }> {
    const range = { from: q.from, to: q.to, triggerId: q.triggerId };
    const goals = this.goals.goals();
    const [cells, cohorts] = await Promise.all([
      this.repo.attribution(range, goals, q.model),
      this.repo.cohorts(range, goals),
    ]);
    const byTrigger = new Map<
      string,
      { triggerId: string; deliveries: number; conversions: number; revenue: number }
    >();
    for (const c of cells) {
      const t = byTrigger.get(c.triggerId) ?? {
        triggerId: c.triggerId,
        deliveries: 0,
        conversions: 0,
        revenue: 0,
      };
      t.deliveries += c.deliveries;
      t.conversions = round(t.conversions + c.conversions);
      t.revenue = round(t.revenue + c.revenue);
      byTrigger.set(c.triggerId, t);
    }
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      model: q.model,
      rows: cells.map((c) => ({
        ...c,
        conversions: round(c.conversions),
        revenue: round(c.revenue),
        conversionRate: c.deliveries > 0 ? round(c.conversions / c.deliveries) : null,
      })),
      triggers: [...byTrigger.values()],
      lift: this.lifts(cohorts.filter((c) => this.goals.of(c.triggerId)?.goal)),
    };
  }

  /** Per trigger and delay variant (and the holdout): response and conversion rates with Wilson 95% intervals. */
  async timing(q: ReportQuery): Promise<{
    from: string;
    to: string;
    triggers: {
      triggerId: string;
      variants: {
        variant: string;
        delay: string | null;
        matches: number;
        delivered: number;
        responseRate: Rate;
        conversionRate: Rate;
      }[];
    }[];
  }> {
    const cohorts = await this.repo.cohorts(
      { from: q.from, to: q.to, triggerId: q.triggerId },
      this.goals.goals(),
    );
    const out = new Map<
      string,
      {
        triggerId: string;
        variants: Awaited<ReturnType<ReportsService['timing']>>['triggers'][number]['variants'];
      }
    >();
    for (const c of cohorts) {
      const measures = this.goals.of(c.triggerId);
      const t = out.get(c.triggerId) ?? { triggerId: c.triggerId, variants: [] };
      const variant = c.holdout ? 'holdout' : (c.variant ?? 'default');
      t.variants.push({
        variant,
        delay: c.holdout ? null : c.variant ? (measures?.variants[c.variant] ?? null) : null,
        matches: c.matches,
        delivered: c.delivered,
        responseRate: wilson(c.responded, c.delivered),
        conversionRate: wilson(c.converted, c.matches),
      });
      out.set(c.triggerId, t);
    }
    return { from: q.from.toISOString(), to: q.to.toISOString(), triggers: [...out.values()] };
  }

  /** Attributed revenue against the cost of the messages sent, per trigger. */
  async roi(q: ReportQuery): Promise<{
    from: string;
    to: string;
    model: AttributionModel;
    costPerMessage: Readonly<Record<string, number>>;
    triggers: {
      triggerId: string;
      messages: Record<string, number>;
      cost: number;
      revenue: number;
      net: number;
      roi: number | null;
      incrementalRevenue: number | null;
    }[];
    totals: { messages: number; cost: number; revenue: number; net: number; roi: number | null };
  }> {
    const a = await this.attribution(q);
    const triggers = new Map<
      string,
      { triggerId: string; messages: Record<string, number>; cost: number; revenue: number }
    >();
    for (const r of a.rows) {
      const t = triggers.get(r.triggerId) ?? { triggerId: r.triggerId, messages: {}, cost: 0, revenue: 0 };
      t.messages[r.channel] = (t.messages[r.channel] ?? 0) + r.deliveries;
      t.cost += r.deliveries * (this.costs[r.channel] ?? 0);
      t.revenue += r.revenue;
      triggers.set(r.triggerId, t);
    }
    const incremental = new Map(a.lift.map((l) => [l.triggerId, l.incrementalRevenue]));
    const rows = [...triggers.values()].map((t) => ({
      ...t,
      cost: round(t.cost),
      revenue: round(t.revenue),
      net: round(t.revenue - t.cost),
      roi: t.cost > 0 ? round((t.revenue - t.cost) / t.cost, 4) : null,
      incrementalRevenue: incremental.get(t.triggerId) ?? null,
    }));
    const cost = rows.reduce((s, r) => s + r.cost, 0);
    const revenue = rows.reduce((s, r) => s + r.revenue, 0);
    return {
      from: a.from,
      to: a.to,
      model: a.model,
      costPerMessage: this.costs,
      triggers: rows,
      totals: {
        messages: rows.reduce((s, r) => s + Object.values(r.messages).reduce((x, y) => x + y, 0), 0),
        cost: round(cost),
        revenue: round(revenue),
        net: round(revenue - cost),
        roi: cost > 0 ? round((revenue - cost) / cost, 4) : null,
      },
    };
  }

  /** Treated (every non-holdout arm) against holdout, per trigger, intention to treat. */
  private lifts(cohorts: readonly CohortCell[]): TriggerLift[] {
    const by = new Map<string, { t: CohortCell[]; h: CohortCell[] }>();
    for (const c of cohorts) {
      const e = by.get(c.triggerId) ?? { t: [], h: [] };
      (c.holdout ? e.h : e.t).push(c);
      by.set(c.triggerId, e);
    }
    return [...by].map(([triggerId, { t, h }]) => {
      const sum = (cs: CohortCell[]) => ({
        matches: cs.reduce((s, c) => s + c.matches, 0),
        converted: cs.reduce((s, c) => s + c.converted, 0),
        revenue: round(cs.reduce((s, c) => s + c.revenue, 0)),
      });
      const treated = sum(t);
      const holdout = h.length > 0 ? sum(h) : null;
      return {
        triggerId,
        treated: {
          matches: treated.matches,
          converted: wilson(treated.converted, treated.matches),
          revenue: treated.revenue,
        },
        holdout: holdout
          ? {
              matches: holdout.matches,
              converted: wilson(holdout.converted, holdout.matches),
              revenue: holdout.revenue,
            }
          : null,
        lift: lift(
          { x: treated.converted, n: treated.matches },
          holdout ? { x: holdout.converted, n: holdout.matches } : null,
        ),
        incrementalRevenue:
          holdout && holdout.matches > 0 && treated.matches > 0
            ? round(treated.revenue - (holdout.revenue / holdout.matches) * treated.matches)
            : null,
      };
    });
  }
}
