import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { validationProblem } from '../common/problem';
import { FeedbackRequestSchema } from './feedback.schema';
import { FeedbackService, type FeedbackOutcome } from './feedback.service';

@Controller('v1/feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  /** A provider callback: 202 `recorded` (or `duplicate`), 404 for an unknown delivery id. */
  @Post()
  @HttpCode(202)
  @Scopes('events:write')
  async post(@Body() body: unknown): Promise<FeedbackOutcome> {
    const parsed = FeedbackRequestSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    return this.feedback.record({ ...parsed.data, at: new Date(parsed.data.at), source: 'provider' });
  }
}
