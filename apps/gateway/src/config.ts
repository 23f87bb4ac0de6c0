import path from 'node:path';
import { z } from 'zod';
import { NAMESPACE_DEFAULT, TASK_QUEUE } from '@kairos/contracts';
import { parseEncryptionKeys, type EncryptionKey, DEV_TRACKING_SECRET } from '@kairos/codec';

/**
 * The example trigger set shipped in the repository (used when KAIROS_TRIGGERS_DIR is unset); found
 * through the package, not __dirname, because the compiled gateway runs from a deeper dist/ folder.
 */
export const DEFAULT_TRIGGERS_DIR = path.join(
  path.dirname(require.resolve('@kairos/triggers/package.json')),
  'examples',
);

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Development-only signing key of tracking links; set KAIROS_TRACKING_SECRET (same value in the worker). */
export { DEV_TRACKING_SECRET };

/** Cost of one message per channel (currency units) when KAIROS_COST_PER_MESSAGE is unset. */
export const DEFAULT_COST_PER_MESSAGE: Readonly<Record<string, number>> = Object.freeze({
  email: 0.001,
  sms: 0.0075,
  push: 0.0005,
  webhook: 0,
});

const CostPerMessageSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"email":0.001,"sms":0.01}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.partialRecord(
      z.enum(['email', 'sms', 'push', 'webhook']),
      z.number().min(0, 'must be a cost of at least 0'),
    ),
  );

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
  /** HMAC key of open and click tracking links (the worker signs them with the same key). */
  KAIROS_TRACKING_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters (HMAC-SHA256 key of tracking links)')
    .default(DEV_TRACKING_SECRET),
  /** Cost of one message per channel for ROI reports, JSON: {"email":0.001,"sms":0.01,...}. */
  KAIROS_COST_PER_MESSAGE: CostPerMessageSchema.optional(),
  /** `id:base64key,...` (32-byte AES keys; first encrypts, all decrypt); unset = payloads not encrypted. */
  KAIROS_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const parsed = parseEncryptionKeys(v);
      for (const message of parsed.errors) ctx.addIssue({ code: 'custom', message });
      return parsed.keys;
    }),
  /** Browser origins (the Temporal Web UI) allowed to call the codec endpoint /codec/{encode,decode}. */
  KAIROS_CODEC_CORS_ORIGINS: z
    .string()
    .default('http://127.0.0.1:8233,http://localhost:8233')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
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
  /** Optional in the type so configs built in code may omit them; loadGatewayConfig always sets them. */
  trackingSecret?: string;
  costPerMessage?: Readonly<Record<string, number>>;
  /** Payload encryption keys; undefined = no codec (development default). */
  encryptionKeys?: readonly EncryptionKey[] | undefined;
  /** Origins allowed to call the codec endpoint (CORS). */
  codecCorsOrigins?: readonly string[];
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
    trackingSecret: e.KAIROS_TRACKING_SECRET,
    costPerMessage: Object.freeze({ ...DEFAULT_COST_PER_MESSAGE, ...e.KAIROS_COST_PER_MESSAGE }),
    encryptionKeys: e.KAIROS_ENCRYPTION_KEYS,
    codecCorsOrigins: e.KAIROS_CODEC_CORS_ORIGINS,
  });
}
