import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { AuthedRequest } from '../auth/api-key.guard';
import { Scopes } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { decodedBody, drain, NDJSON, type NdjsonRequest, unreadableBody } from './ndjson-body';
import { ImportService, type ImportResult } from './import.service';

/** What is read of a refused body so the client gets the answer rather than a reset connection. */
const DRAIN_LIMIT = 256 * 1024 * 1024;

@Controller('v1/import')
@Scopes('events:import')
export class ImportController {
  constructor(private readonly imports: ImportService) {}

  /** NDJSON history (up to 100,000 events): stored for reports, no journey signalled. */
  @Post()
  @HttpCode(200)
  async import(@Req() req: AuthedRequest & NdjsonRequest): Promise<ImportResult> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== NDJSON) {
      throw new ProblemException(
        415,
        'unsupported-media-type',
        'Unsupported content type',
        `Send the events as "Content-Type: ${NDJSON}", one JSON event per line.`,
      );
    }
    try {
      return await this.imports.importLines(decodedBody(req));
    } catch (err) {
      if (err instanceof ProblemException) {
        await drain(req.raw, DRAIN_LIMIT);
        throw err;
      }
      throw unreadableBody(err) ?? err;
    }
  }
}
