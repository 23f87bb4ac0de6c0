import {
  Body,
  Controller,
  HttpCode,
  Inject,
  Injectable,
  Options,
  Post,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CodecError, RemoteCodecInputError, runRemoteCodec, type JsonPayload } from '@kairos/codec';
import { Public, Scopes } from '../auth/scopes.decorator';
import { ProblemException } from '../common/problem';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { TemporalService } from '../temporal/temporal.service';

const CODEC_PATH = /^\/codec\/(encode|decode)(\?|$)/;

/**
 * CORS for the Temporal Web UI calling the codec endpoint from its own origin: headers on every
 * /codec answer (errors included, so the UI can show them) and the preflight answered before auth.
 */
@Injectable()
export class CodecCors implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const origins = new Set(this.config.codecCorsOrigins ?? []);
    fastify.addHook('onRequest', async (request, reply) => {
      if (!CODEC_PATH.test(request.url)) return;
      const origin = request.headers.origin;
      if (typeof origin !== 'string' || !origins.has(origin)) return;
      void reply.header('access-control-allow-origin', origin);
      void reply.header('access-control-allow-credentials', 'true');
      void reply.header('access-control-allow-methods', 'POST, OPTIONS');
      void reply.header('access-control-allow-headers', 'authorization, content-type, x-namespace');
      void reply.header('access-control-max-age', '600');
      void reply.header('vary', 'origin');
      if (request.method === 'OPTIONS') await reply.code(204).send();
    });
  }
}

/**
 * Temporal's remote codec protocol, so the Web UI (and `temporal --codec-endpoint`) can show
 * decrypted journeys to a holder of a `journeys:read` (or `admin`) key.
 */
@Controller('codec')
@Scopes('journeys:read')
export class CodecController {
  constructor(private readonly temporal: TemporalService) {}

  @Post('decode')
  @HttpCode(200)
  decode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return this.run('decode', body);
  }

  @Post('encode')
  @HttpCode(200)
  encode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return this.run('encode', body);
  }

  /** Preflight from an origin not allowed by KAIROS_CODEC_CORS_ORIGINS (allowed ones end in CodecCors). */
  @Options(['decode', 'encode'])
  @Public()
  @HttpCode(204)
  preflight(): void {}

  private async run(direction: 'encode' | 'decode', body: unknown): Promise<{ payloads: JsonPayload[] }> {
    const codec = this.temporal.codec;
    if (!codec) {
      throw new ProblemException(
        404,
        'codec-not-configured',
        'Payload encryption is off',
        'This gateway has no KAIROS_ENCRYPTION_KEYS, so payloads are stored unencrypted and need no codec.',
      );
    }
    try {
      return await runRemoteCodec(codec, direction, body);
    } catch (err) {
      if (err instanceof RemoteCodecInputError) {
        throw new ProblemException(400, 'validation', 'Codec request is invalid', err.message, [
          { path: '(body)', message: err.message },
        ]);
      }
      if (err instanceof CodecError) {
        throw new ProblemException(422, 'codec-failed', 'Payload could not be decoded', err.message);
      }
      throw err;
    }
  }
}
