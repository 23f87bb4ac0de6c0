import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { NestFactory } from '@nestjs/core';
import { LogController } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino, { type Logger } from 'pino';
import { AppModule } from './app.module';
import type { AuthedRequest } from './auth/api-key.guard';
import type { GatewayConfig } from './config';
import { buildOpenApiDocument } from './docs/openapi';
import { MetricsService } from './metrics/metrics.service';
import { PROBLEM_BASE } from './common/problem';
import { findUnstorableText, UNSTORABLE_MESSAGE } from './common/storable-text';
import { loadValidCatalog } from './triggers/trigger-catalog.service';
import { keepRawJsonBodies } from './common/json-body';
import { acceptGzipBodies } from './common/gzip-body';
import { acceptSegmentFormBodies } from './segment/segment-body';
import { loggableUrl, serializeRequest } from './common/request-log';

/** docs/api.md §1: request bodies over 1 MiB are refused with 413. */
export const BODY_LIMIT = 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Secrets a log line must never carry, wherever a serializer might put them. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  '*.authorization',
  'encryptionKeys',
  '*.encryptionKeys',
  'databaseUrl',
  '*.databaseUrl',
  'temporalConnection',
  '*.temporalConnection',
  'feedbackSigningSecret',
  '*.feedbackSigningSecret',
];

/** The gateway's pino logger (secrets redacted); `destination` lets tests capture the lines. */
export function createGatewayLogger(
  config: Pick<GatewayConfig, 'logLevel'>,
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'kairos-gateway' },
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    // Query strings and token path segments are bearer secrets (docs/operations.md §10).
    serializers: { req: serializeRequest },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Creates (without listening) the gateway application for a config. */
export async function createGateway(
  config: GatewayConfig,
  options: { logger?: Logger } = {},
): Promise<NestFastifyApplication> {
  // Before anything starts: a gateway without its trigger set would answer `ignored` to every event.
  loadValidCatalog(config.triggersDir);
  const logger = options.logger ?? createGatewayLogger(config);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT,
    // Tracking tokens carry the link's URL (verified up to 4096 characters); customer ids are
    // validated into a 400 (up to 128 characters), not a 414.
    routerOptions: { maxParamLength: 4096 },
    // One log line per request (the onResponse hook below), not fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    logger: config.logLevel === 'silent' ? false : ['error', 'warn'],
    // Only fastify's JSON parser: Nest would add urlencoded, which docs/api.md §1 answers with 415.
    bodyParser: false,
    // A failing provider rejects this promise (the caller decides) instead of exiting the process.
    abortOnError: false,
  });
  const fastify = adapter.getInstance();
  // docs/api.md §1: bodies are JSON; anything else is 415 (fastify would otherwise accept text/plain).
  fastify.removeContentTypeParser('text/plain');
  keepRawJsonBodies(fastify, BODY_LIMIT);
  acceptGzipBodies(fastify);
  acceptSegmentFormBodies(fastify, BODY_LIMIT);

  const metrics = app.get(MetricsService);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Refused before any handler: text PostgreSQL cannot store (found by test/fuzz). A batch's
  // items are checked one by one by the events service: one bad item never rejects the others.
  fastify.addHook('preValidation', async (request, reply) => {
    const body = request.body as { events?: unknown; batch?: unknown } | null | undefined;
    const route = request.routeOptions.url;
    const batch =
      route === '/v1/events/batch' && Array.isArray(body?.events)
        ? { ...body, events: [] }
        : route === '/v1/batch' && Array.isArray(body?.batch)
          ? { ...body, batch: [] }
          : null;
    // CloudEvents are checked by their mapper (batch items one by one), naming the attribute.
    const ownCheck = request.routeOptions.url === '/v1/cloudevents';
    const where = ownCheck ? null : findUnstorableText(batch ?? request.body);
    if (where === null) return;
    const detail = `${where}: ${UNSTORABLE_MESSAGE}`;
    await reply
      .code(400)
      .type('application/problem+json')
      .send({
        type: `${PROBLEM_BASE}validation`,
        title: 'Request body is invalid',
        status: 400,
        detail,
        errors: [{ path: where, message: UNSTORABLE_MESSAGE }],
      });
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
    request.log.info(
      {
        method: request.method,
        url: loggableUrl(request.url, request.routeOptions.url),
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        key: (request as AuthedRequest).apiKey?.id,
      },
      'request',
    );
  });

  const document = buildOpenApiDocument();
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  fastify.get('/docs/openapi.json', async (_request, reply) =>
    reply.header('content-type', 'application/json').send(document),
  );

  app.enableShutdownHooks();
  return app;
}
