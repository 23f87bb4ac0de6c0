import { Injectable } from '@nestjs/common';
import type { JourneyEventRow } from '@kairos/persistence';
import { ProblemException } from '../common/problem';
import { DatabaseService } from '../database/database.service';
import { isLineError, mapImportLine, type ImportLineError } from './import-line';
import { ImportRepository } from './import.repository';
import { ndjsonLines } from './ndjson-lines';

/** docs/ingestion.md "Import past events": the limits of one request. */
export const IMPORT_MAX_LINES = 100_000;
/** A line is one event: properties are at most 32 KiB of JSON, so 64 KiB leaves room for the rest. */
export const IMPORT_MAX_LINE_BYTES = 64 * 1024;
/** Errors listed in the answer (all are counted in `rejected`). */
export const IMPORT_MAX_ERRORS = 100;
/** Rows per INSERT: large enough that the round trip is noise, small enough to stay a few MB. */
const BATCH = 5_000;

export type ImportResult = {
  received: number;
  imported: number;
  duplicates: number;
  rejected: number;
  errors: ImportLineError[];
};

/**
 * Stores past events in journey_events without signalling any journey (reports, backtests and
 * models read them). The body is read line by line and written in batches inside one
 * transaction: a request refused half-way (over the line limit, a broken gzip stream, a
 * dropped connection) leaves nothing behind, and a retry of the whole file is always safe.
 */
@Injectable()
export class ImportService {
  constructor(private readonly database: DatabaseService) {}

  async importLines(body: AsyncIterable<Buffer | string>): Promise<ImportResult> {
    const client = await this.database.pool.connect();
    const repo = new ImportRepository(client);
    const result: ImportResult = { received: 0, imported: 0, duplicates: 0, rejected: 0, errors: [] };
    let valid = 0;
    let done = false;
    try {
      await client.query('BEGIN');
      let batch: JourneyEventRow[] = [];
      // One batch is written while the next is parsed: parsing and Postgres overlap.
      let inFlight: Promise<number> = Promise.resolve(0);
      const flush = async (): Promise<void> => {
        result.imported += await inFlight;
        inFlight = repo.insert(batch);
        // Keep a failing insert from being an unhandled rejection until it is awaited.
        inFlight.catch(() => undefined);
        batch = [];
      };
      for await (const line of ndjsonLines(body, IMPORT_MAX_LINE_BYTES)) {
        result.received += 1;
        if (result.received > IMPORT_MAX_LINES) throw tooManyLines();
        const mapped = line.tooLong
          ? { line: line.lineNo, field: '(line)', message: `longer than ${IMPORT_MAX_LINE_BYTES} bytes` }
          : mapImportLine(line.lineNo, line.text);
        if (isLineError(mapped)) {
          result.rejected += 1;
          if (result.errors.length < IMPORT_MAX_ERRORS) result.errors.push(mapped);
          continue;
        }
        valid += 1;
        batch.push(mapped);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      result.imported += await inFlight;
      await client.query('COMMIT');
      done = true;
    } finally {
      if (!done) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    result.duplicates = valid - result.imported;
    return result;
  }
}

function tooManyLines(): ProblemException {
  return new ProblemException(
    413,
    'too-many-lines',
    'Import too large',
    `One import holds at most ${IMPORT_MAX_LINES.toLocaleString('en')} events (lines); nothing was imported. Split the file and send each part (a re-sent part only counts duplicates).`,
  );
}
