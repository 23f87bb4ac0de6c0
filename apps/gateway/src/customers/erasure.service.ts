import fs from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  BacktestsRepository,
  ErasureRepository,
  type ErasedBy,
  type ErasureSummary,
} from '@kairos/persistence';
import { ProblemException, temporalUnavailable } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DatabaseService } from '../database/database.service';
import type { ErasureView } from './erasure.schema';
import { JourneyEraser } from './journey-eraser';

/**
 * Erases a customer everywhere Kairos keeps them (docs/api.md §4.5). Order matters: the journey is
 * terminated first so no activity writes a new outbox row or file afterwards, then files (named by
 * the outbox rows, which must still exist to find them), then every Postgres row and the
 * customer's samples in backtest results, then the record.
 * Each step tolerates "already gone", so a failed erasure is simply repeated.
 */
@Injectable()
export class ErasureService {
  private readonly repo: ErasureRepository;
  private readonly backtests: BacktestsRepository;

  constructor(
    database: DatabaseService,
    private readonly journeys: JourneyEraser,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.backtests = new BacktestsRepository(database.pool);
    this.repo = new ErasureRepository(database.pool);
  }

  async erase(customerId: string, by: ErasedBy): Promise<ErasureView> {
    let workflowRuns: number;
    try {
      workflowRuns = await this.journeys.erase(customerId);
    } catch (err) {
      if (err instanceof ProblemException) throw err;
      throw temporalUnavailable(this.config.retryAfterS, 'The customer was not erased', err);
    }
    let files = await this.removeFiles(await this.repo.deliveryIds(customerId));
    const { rows, deliveryIds } = await this.repo.deleteRows(customerId);
    // Rows written between the two reads (an activity of the terminated run finishing) have files too.
    files += await this.removeFiles(deliveryIds);
    // Reported as a table: the number of backtests whose samples named the customer.
    const backtests = await this.backtests.eraseSamples(customerId);
    if (backtests > 0) rows.backtests = backtests;
    const summary: ErasureSummary = { rows, files, workflowRuns };
    const record = await this.repo.record(customerId, by, summary);
    // A running backtest that saved between the sweep and the record wrote the samples back; its
    // later saves drop them (they read the record), and this sweep catches a final save.
    await this.backtests.eraseSamples(customerId);
    return { customerId, status: 'erased', ...summary, erasedAt: record.erasedAt.toISOString() };
  }

  /** Deletes `<deliveryId>.json` from the outbox folder; returns how many existed. */
  private async removeFiles(deliveryIds: string[]): Promise<number> {
    const dir = this.config.outboxDir;
    if (!dir) return 0;
    let removed = 0;
    for (const id of deliveryIds) {
      try {
        await fs.unlink(path.join(dir, `${id}.json`));
        removed += 1;
      } catch (err) {
        // Checked by code, not instanceof: fs errors may come from another realm (test VMs).
        if ((err as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT')
          throw new ProblemException(
            500,
            'erasure-incomplete',
            'Outbox file not removed',
            `An outbox file of the customer could not be deleted (${String((err as Error | undefined)?.message ?? err).slice(0, 200)}); repeat the erasure once fixed.`,
          );
      }
    }
    return removed;
  }
}
