import { Controller, Get, Inject, Logger, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { DEV_TRACKING_SECRET, GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { FeedbackService } from '../feedback/feedback.service';
import { verifyTrackingToken } from '@kairos/codec';

/** The smallest transparent GIF (1x1). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Open pixels and click redirects placed in rendered messages by the worker. */
@Controller('t')
export class TrackingController {
  private readonly logger = new Logger(TrackingController.name);
  private readonly secret: string;

  constructor(
    private readonly feedback: FeedbackService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.secret = config.trackingSecret ?? DEV_TRACKING_SECRET;
  }

  /** Always answers the pixel (a broken image helps nobody); records `opened` for a genuine token. */
  @Get('o/:token')
  @Public()
  async open(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const claims = verifyTrackingToken(this.secret, token);
    if (claims) {
      try {
        await this.feedback.record({
          deliveryId: claims.deliveryId,
          type: 'opened',
          at: new Date(),
          source: 'pixel',
        });
      } catch (err) {
        // The reader's mail client must not see our outage; the open is lost, not the message.
        this.logger.warn(`open not recorded for ${claims.deliveryId}: ${String(err)}`);
      }
    }
    await reply
      .header('content-type', 'image/gif')
      .header('cache-control', 'no-store, no-cache, private, max-age=0')
      .send(PIXEL_GIF);
  }

  /** Redirects to the signed target and records `clicked`; a forged token is a 404 (no open redirect). */
  @Get('c/:token')
  @Public()
  async click(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const claims = verifyTrackingToken(this.secret, token);
    if (!claims?.url)
      throw new ProblemException(404, 'not-found', 'Link not found', 'This tracking link is not valid.');
    try {
      await this.feedback.record({
        deliveryId: claims.deliveryId,
        type: 'clicked',
        at: new Date(),
        source: 'link',
        url: claims.url,
      });
    } catch (err) {
      // The reader still gets where the link points; only the measurement is lost.
      this.logger.warn(`click not recorded for ${claims.deliveryId}: ${String(err)}`);
    }
    await reply.code(302).header('location', claims.url).header('cache-control', 'no-store').send();
  }
}
