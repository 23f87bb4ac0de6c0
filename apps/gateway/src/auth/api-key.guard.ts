import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyRecord, ApiKeyScope } from '@kairos/persistence';
import { ProblemException } from '../common/problem';
import { ApiKeysService } from './api-keys.service';
import { PUBLIC_KEY, SCOPES_KEY, WRITE_KEY_AUTH } from './scopes.decorator';
import { writeKeyOf } from './write-key';

export type AuthedRequest = FastifyRequest & { apiKey?: ApiKeyRecord };

const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;

/**
 * Every route needs `Authorization: Bearer <key>` unless marked `@Public()`; a route without
 * `@Scopes(...)` needs `admin` (closed by default).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const needed = this.reflector.getAllAndOverride<ApiKeyScope[] | undefined>(SCOPES_KEY, targets) ?? [
      'admin',
    ];
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? BEARER.exec(header) : null;
    // Segment-style routes (@WriteKeyAuth) also take Basic or a body `writeKey`.
    const given =
      bearer?.[1] ??
      (this.reflector.getAllAndOverride<boolean>(WRITE_KEY_AUTH, targets) ? writeKeyOf(req) : null);
    if (given === null) {
      throw new ProblemException(
        401,
        'unauthorized',
        'API key required',
        'Send the header "Authorization: Bearer <api key>" (create keys with `npm run apikey -- create`).',
        undefined,
        {
          'www-authenticate': 'Bearer',
        },
      );
    }
    const record = await this.keys.verify(given);
    if (!record) {
      throw new ProblemException(
        401,
        'unauthorized',
        'API key not valid',
        'The API key is unknown or revoked.',
        undefined,
        {
          'www-authenticate': 'Bearer error="invalid_token"',
        },
      );
    }
    req.apiKey = record;
    if (record.scopes.includes('admin') || needed.some((s) => record.scopes.includes(s))) return true;
    throw new ProblemException(
      403,
      'forbidden',
      'Missing scope',
      `This route needs one of the scopes ${needed.join(', ')}; the key "${record.name}" has ${record.scopes.join(', ') || 'none'}.`,
    );
  }
}
