import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { MetricsService } from '../metrics/metrics.service';
import { FeedbackSignatureGuard } from './feedback-signature.guard';
import { FeedbackRequestSchema, type FeedbackAnswer, type FeedbackRequest } from './feedback.schema';
import { FeedbackService } from './feedback.service';

@Controller('v1/feedback')
export class FeedbackController {
  constructor(
    private readonly feedback: FeedbackService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * A provider callback: always the same 202 for a valid callback, whether the delivery exists,
   * was recorded or is a duplicate, so a key holder cannot probe which delivery ids exist; the
   * outcome is counted in kairos_gateway_feedback_total.
   */
  @Post()
  @HttpCode(202)
  @Scopes('feedback:write')
  @UseGuards(FeedbackSignatureGuard)
  async post(
    @Body(new ZodValidationPipe(FeedbackRequestSchema)) body: FeedbackRequest,
  ): Promise<FeedbackAnswer> {
    const { deliveryId, type, at } = body;
    try {
      const outcome = await this.feedback.record({ deliveryId, type, at: new Date(at), source: 'provider' });
      this.metrics.feedback.inc({ outcome: outcome.status });
    } catch (err) {
      if (!(err instanceof ProblemException && err.code === 'delivery-not-found')) throw err;
      this.metrics.feedback.inc({ outcome: 'ignored' });
    }
    return { deliveryId, type, status: 'accepted' };
  }
}
