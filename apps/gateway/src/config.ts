import path from 'node:path';
import { z } from 'zod';
import { NAMESPACE_DEFAULT, TASK_QUEUE } from '@kairos/contracts';

/** The example trigger set shipped in the repository (used when KAIROS_TRIGGERS_DIR is unset). */
export const DEFAULT_TRIGGERS_DIR = path.resolve(__dirname, '..', '..', '..', 'libs', 'triggers', 'examples');

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every environment variable the gateway reads. */
export const GatewayConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default(NAMESPACE_DEFAULT),
  KAIROS_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    message: 'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/kairos',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory of trigger definitions and the policy file: decides which event names matter. */
  KAIROS_TRIGGERS_DIR: z.string().min(1).default(DEFAULT_TRIGGERS_DIR),
  /** Sustained events per customer per minute before 429. */
  KAIROS_RATE_LIMIT_PER_MIN: positiveInt(1, 10_000_000).default(600),
  /** Deadline of one Temporal call (signal-with-start, signal, query) before answering 503. */
  KAIROS_TEMPORAL_TIMEOUT_MS: positiveInt(100, 60_000).default(5_000),
  /** Retry-After (seconds) sent with 503 when Temporal is unreachable. */
  KAIROS_RETRY_AFTER_S: positiveInt(1, 3600).default(5),
  /** Recently accepted (customer, event id) pairs remembered to answer `duplicate` without Temporal. */
  KAIROS_DEDUPE_CACHE_SIZE: positiveInt(0, 10_000_000).default(100_000),
  /** How long a verified API key is trusted without asking Postgres again (0 = always ask). */
  KAIROS_API_KEY_CACHE_MS: positiveInt(0, 3_600_000).default(10_000),
  /** Period of the event-volume flush to Postgres. */
  KAIROS_VOLUME_FLUSH_MS: positiveInt(50, 3_600_000).default(2_000),
});

export type GatewayConfig = Readonly<{
  port: number;
  host: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  logLevel: z.infer<typeof GatewayConfigSchema>['LOG_LEVEL'];
  triggersDir: string;
  rateLimitPerMin: number;
  temporalTimeoutMs: number;
  retryAfterS: number;
  dedupeCacheSize: number;
  apiKeyCacheMs: number;
  volumeFlushMs: number;
}>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Reads and validates the environment once, listing every invalid key. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`KAIROS_CONFIG: invalid gateway environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.KAIROS_TASK_QUEUE,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    triggersDir: path.resolve(e.KAIROS_TRIGGERS_DIR),
    rateLimitPerMin: e.KAIROS_RATE_LIMIT_PER_MIN,
    temporalTimeoutMs: e.KAIROS_TEMPORAL_TIMEOUT_MS,
    retryAfterS: e.KAIROS_RETRY_AFTER_S,
    dedupeCacheSize: e.KAIROS_DEDUPE_CACHE_SIZE,
    apiKeyCacheMs: e.KAIROS_API_KEY_CACHE_MS,
    volumeFlushMs: e.KAIROS_VOLUME_FLUSH_MS,
  });
}
