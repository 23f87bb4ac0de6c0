import path from 'node:path';
import { z } from 'zod';
import { NAMESPACE_DEFAULT, TASK_QUEUE } from '@kairos/contracts';
import {
  checkTemporalConnectionEnv,
  parseEncryptionKeys,
  resolveTrackingKeys,
  TEMPORAL_CONNECTION_ENV,
  temporalConnectionOptions,
  type EncryptionKey,
  type TemporalConnectionOptions,
  type TrackingKey,
} from '@kairos/codec';

/**
 * The example trigger set shipped in the repository (used when KAIROS_TRIGGERS_DIR is unset); found
 * through the package, not __dirname, because the compiled gateway runs from a deeper dist/ folder.
 */
export const DEFAULT_TRIGGERS_DIR = path.join(
  path.dirname(require.resolve('@kairos/triggers/package.json')),
  'examples',
);

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Defaults of the limits shared by gateway instances (docs/operations.md §3): generous, so they
 * stop abuse (one key or a flood of made-up customers), not normal traffic. Also used when a
 * config built in code (tests, benches) leaves them out.
 */
export const DEFAULT_LIMITS = Object.freeze({
  perKeyPerMin: 60_000,
  globalPerMin: 600_000,
  newJourneysPerMin: 60_000,
  unknownNamesPerMin: 100,
});

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
  ...TEMPORAL_CONNECTION_ENV,
  KAIROS_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    message: 'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/kairos',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory of trigger definitions and the policy file: decides which event names matter. */
  KAIROS_TRIGGERS_DIR: z.string().min(1).default(DEFAULT_TRIGGERS_DIR),
  /** The worker's outbox folder (same variable and default): erasure deletes a customer's files there. */
  KAIROS_OUTBOX_DIR: z
    .string()
    .min(1)
    .default(path.resolve(process.cwd(), '.kairos', 'outbox')),
  /** Sustained events per customer per minute before 429. */
  KAIROS_RATE_LIMIT_PER_MIN: positiveInt(1, 10_000_000).default(600),
  /** Events per API key per minute, all gateway instances together (0 = no limit). */
  KAIROS_RATE_LIMIT_PER_KEY_PER_MIN: positiveInt(0, 100_000_000).default(DEFAULT_LIMITS.perKeyPerMin),
  /** Events per minute, all keys and gateway instances together (0 = no limit). */
  KAIROS_RATE_LIMIT_GLOBAL_PER_MIN: positiveInt(0, 1_000_000_000).default(DEFAULT_LIMITS.globalPerMin),
  /** Journeys started (events of customers without one) per minute, all instances (0 = no limit). */
  KAIROS_NEW_JOURNEYS_PER_MIN: positiveInt(0, 100_000_000).default(DEFAULT_LIMITS.newJourneysPerMin),
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
  /** Event names no trigger uses counted by name per minute and instance; the rest as `(other)`. */
  KAIROS_VOLUME_UNKNOWN_NAMES_PER_MIN: positiveInt(0, 100_000).default(DEFAULT_LIMITS.unknownNamesPerMin),
  /** HMAC key of open and click tracking links, the worker's too (checked by resolveTrackingKeys). */
  KAIROS_TRACKING_SECRET: z.string().optional(),
  /** `kid:secret,...` instead: the first signs, all verify (key rotation); the same list as the worker's. */
  KAIROS_TRACKING_SECRETS: z.string().optional(),
  /** HMAC key provider callbacks are signed with; set = POST /v1/feedback requires X-Kairos-Signature. */
  KAIROS_FEEDBACK_SIGNING_SECRET: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v))
    .pipe(
      z.string().min(32, 'must be at least 32 characters (HMAC-SHA256 key of provider callbacks)').optional(),
    ),
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

// Rules across variables, checked even when single variables failed, so every error is listed at once.
const GatewayEnvSchema = GatewayConfigSchema.superRefine(checkTemporalConnectionEnv, { when: () => true });

export type GatewayConfig = Readonly<{
  port: number;
  host: string;
  temporalAddress: string;
  /** TLS and API key of the Temporal connection; undefined or {} = plaintext (local dev server). */
  temporalConnection?: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  logLevel: z.infer<typeof GatewayConfigSchema>['LOG_LEVEL'];
  triggersDir: string;
  /** Optional in the type so configs built in code may omit it (then nothing to erase on disk). */
  outboxDir?: string;
  rateLimitPerMin: number;
  /** Limits kept in Postgres, shared by every instance; 0 = none. Optional: DEFAULT_LIMITS apply. */
  rateLimitPerKeyPerMin?: number;
  rateLimitGlobalPerMin?: number;
  newJourneysPerMin?: number;
  /** Distinct unknown event names counted by name per minute (the rest under `(other)`). */
  volumeUnknownNamesPerMin?: number;
  temporalTimeoutMs: number;
  retryAfterS: number;
  dedupeCacheSize: number;
  apiKeyCacheMs: number;
  volumeFlushMs: number;
  /** Tracking link keys (all verify); absent = the development key, which production refuses to load. */
  trackingKeys?: readonly TrackingKey[];
  /** Optional in the type so configs built in code may omit it; loadGatewayConfig always sets it. */
  costPerMessage?: Readonly<Record<string, number>>;
  /** Payload encryption keys; undefined = no codec (development default). */
  encryptionKeys?: readonly EncryptionKey[] | undefined;
  /** Origins allowed to call the codec endpoint (CORS). */
  codecCorsOrigins?: readonly string[];
  /** Set = provider callbacks must carry a valid X-Kairos-Signature. */
  feedbackSigningSecret?: string | undefined;
}>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Reads and validates the environment once, listing every invalid key. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayEnvSchema.safeParse(env);
  // Refuses production (NODE_ENV=production) without a tracking secret of at least 32 bytes.
  const tracking = resolveTrackingKeys(env);
  if (!parsed.success || tracking.errors.length > 0) {
    const lines = [
      ...(parsed.error?.issues ?? []).map((i) => `  ${i.path.join('.')}: ${i.message}`),
      ...tracking.errors.map((m) => `  ${m}`),
    ];
    throw new Error(`KAIROS_CONFIG: invalid gateway environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalConnection: temporalConnectionOptions(e),
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.KAIROS_TASK_QUEUE,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    triggersDir: path.resolve(e.KAIROS_TRIGGERS_DIR),
    outboxDir: path.resolve(e.KAIROS_OUTBOX_DIR),
    rateLimitPerMin: e.KAIROS_RATE_LIMIT_PER_MIN,
    rateLimitPerKeyPerMin: e.KAIROS_RATE_LIMIT_PER_KEY_PER_MIN,
    rateLimitGlobalPerMin: e.KAIROS_RATE_LIMIT_GLOBAL_PER_MIN,
    newJourneysPerMin: e.KAIROS_NEW_JOURNEYS_PER_MIN,
    volumeUnknownNamesPerMin: e.KAIROS_VOLUME_UNKNOWN_NAMES_PER_MIN,
    temporalTimeoutMs: e.KAIROS_TEMPORAL_TIMEOUT_MS,
    retryAfterS: e.KAIROS_RETRY_AFTER_S,
    dedupeCacheSize: e.KAIROS_DEDUPE_CACHE_SIZE,
    apiKeyCacheMs: e.KAIROS_API_KEY_CACHE_MS,
    volumeFlushMs: e.KAIROS_VOLUME_FLUSH_MS,
    trackingKeys: tracking.keys,
    costPerMessage: Object.freeze({ ...DEFAULT_COST_PER_MESSAGE, ...e.KAIROS_COST_PER_MESSAGE }),
    encryptionKeys: e.KAIROS_ENCRYPTION_KEYS,
    codecCorsOrigins: e.KAIROS_CODEC_CORS_ORIGINS,
    feedbackSigningSecret: e.KAIROS_FEEDBACK_SIGNING_SECRET,
  });
}
