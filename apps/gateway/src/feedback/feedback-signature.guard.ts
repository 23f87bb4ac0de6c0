import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { RawBodyRequest } from '../common/json-body';
import { ProblemException } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { checkFeedbackSignature } from './feedback-signature';

/**
 * With KAIROS_FEEDBACK_SIGNING_SECRET set, a provider callback must be signed: an API key alone
 * (which may leak from wherever the provider adapter runs) cannot forge opens or unsubscribes.
 */
@Injectable()
export class FeedbackSignatureGuard implements CanActivate {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const secret = this.config.feedbackSigningSecret;
    if (secret === undefined) return true;
    const req = context.switchToHttp().getRequest<RawBodyRequest>();
    const check = checkFeedbackSignature({
      secret,
      rawBody: req.rawBody,
      timestamp: req.headers['x-kairos-timestamp'],
      signature: req.headers['x-kairos-signature'],
      nowMs: Date.now(),
    });
    if (check.ok) return true;
    throw new ProblemException(
      401,
      'invalid-signature',
      'Callback signature not valid',
      `${check.reason}. Sign "<timestamp>.<body>" with HMAC-SHA256 and KAIROS_FEEDBACK_SIGNING_SECRET (docs/api.md §6).`,
    );
  }
}
