import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { TrackingService } from './tracking.service';

/** The smallest transparent GIF (1x1). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const linkNotFound = (): ProblemException =>
  new ProblemException(404, 'not-found', 'Link not found', 'This tracking link is not valid.');

/**
 * Open pixels and click redirects placed in rendered messages by the worker. GET counts; HEAD
 * (fastify answers it with the GET route) answers the same status and headers without counting.
 */
@Controller('t')
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  /** Always answers the pixel (a broken image helps nobody); records `opened` for a genuine token. */
  @Get('o/:token')
  @Public()
  async open(
    @Param('token') token: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const claims = this.tracking.verify(token);
    if (claims && req.method === 'GET') await this.tracking.follow(claims, 'opened', true);
    await reply
      .header('content-type', 'image/gif')
      .header('cache-control', 'no-store, no-cache, private, max-age=0')
      .send(PIXEL_GIF);
  }

  /**
   * Redirects to the signed target and records `clicked`. A forged token, or a genuine one whose
   * delivery does not exist (any more), is a 404 without Location: never an open redirect.
   */
  @Get('c/:token')
  @Public()
  async click(
    @Param('token') token: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const claims = this.tracking.verify(token);
    if (!claims?.url) throw linkNotFound();
    const outcome = await this.tracking.follow(claims, 'clicked', req.method === 'GET');
    if (outcome === 'unknown') throw linkNotFound();
    await reply.code(302).header('location', claims.url).header('cache-control', 'no-store').send();
  }
}
