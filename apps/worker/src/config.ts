import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { NAMESPACE_DEFAULT, TASK_QUEUE } from '@kairos/contracts';
import { MIN_HISTORY_BOUND } from './workflows/journey-state';
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

// Found through the package, not __dirname: the compiled worker runs from a deeper dist/ folder.
const DEFAULT_TRIGGERS_DIR = path.join(
  path.dirname(require.resolve('@kairos/triggers/package.json')),
  'examples',
);

/**
 * Where `npm run build` writes the prebuilt workflow bundle: beside the compiled main.js. Running
 * from the TypeScript sources (`npm start`, tests) there is none, so the workflows are bundled at start.
 */
export const DEFAULT_WORKFLOW_BUNDLE = path.join(__dirname, 'workflows.bundle.js');

/** Every environment variable the worker reads. */
export const WorkerConfigSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default(NAMESPACE_DEFAULT),
  ...TEMPORAL_CONNECTION_ENV,
  KAIROS_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    message: 'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/kairos',
  }),
  KAIROS_TRIGGERS_DIR: z.string().min(1).default(DEFAULT_TRIGGERS_DIR),
  KAIROS_OUTBOX_DIR: z
    .string()
    .min(1)
    .default(path.resolve(process.cwd(), '.kairos', 'outbox')),
  WORKER_DEPLOYMENT_NAME: z.string().min(1).optional(),
  WORKER_BUILD_ID: z.string().min(1).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587')
    .optional(),
  KAIROS_EMAIL_FROM: z.string().min(3).default('Kairos <kairos@localhost>'),
  KAIROS_SMS_PROVIDER_URL: z.url({ message: 'must be an http(s) URL of the SMS provider' }).optional(),
  KAIROS_PUSH_PROVIDER_URL: z.url({ message: 'must be an http(s) URL of the push provider' }).optional(),
  KAIROS_WEBHOOK_URL: z.url({ message: 'must be an http(s) URL receiving webhook deliveries' }).optional(),
  KAIROS_PROVIDER_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters (HMAC-SHA256 key for provider requests)')
    .optional(),
  KAIROS_ESCALATION_WEBHOOK_URL: z
    .url({ message: 'must be a Slack-compatible incoming webhook URL' })
    .optional(),
  KAIROS_HISTORY_BOUND: z.coerce
    .number()
    .int()
    .min(MIN_HISTORY_BOUND, `must be at least ${MIN_HISTORY_BOUND}`)
    .max(50_000, 'must be at most 50000')
    .default(10_000),
  KAIROS_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(10).default(1000),
  /** Public base URL of the gateway for open pixels and click links; unset = messages untracked. */
  KAIROS_PUBLIC_URL: z.url({ message: 'must be the http(s) URL the gateway is reached at' }).optional(),
  /** HMAC key of tracking links, the same as the gateway's (checked by resolveTrackingKeys). */
  KAIROS_TRACKING_SECRET: z.string().optional(),
  /** `kid:secret,...` instead: the first signs, all verify (key rotation); the same list as the gateway's. */
  KAIROS_TRACKING_SECRETS: z.string().optional(),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prebuilt workflow bundle (bundleWorkflowCode output); unset = DEFAULT_WORKFLOW_BUNDLE when present. */
  KAIROS_WORKFLOW_BUNDLE: z
    .string()
    .min(1)
    .refine(
      (file) => fs.existsSync(file),
      'no such file: run `npm run build`, or unset it to bundle at start',
    )
    .optional(),
});

// Rules across variables, checked even when single variables failed, so every error is listed at once.
const WorkerEnvSchema = WorkerConfigSchema.superRefine(checkTemporalConnectionEnv, { when: () => true });

export type WorkerConfig = Readonly<{
  temporalAddress: string;
  /** TLS and API key of the Temporal connection; {} = plaintext (local dev server). */
  temporalConnection: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  triggersDir: string;
  outboxDir: string;
  deploymentName: string | undefined;
  buildId: string | undefined;
  smtpUrl: string | undefined;
  emailFrom: string;
  providers: {
    sms: string | undefined;
    push: string | undefined;
    webhook: string | undefined;
    secret: string | undefined;
  };
  escalationWebhookUrl: string | undefined;
  historyBound: number;
  maxCachedWorkflows: number;
  publicUrl: string | undefined;
  /** Tracking link keys: the first signs (KAIROS_TRACKING_SECRETS or KAIROS_TRACKING_SECRET). */
  trackingKeys: readonly TrackingKey[];
  /** Payload encryption keys (KAIROS_ENCRYPTION_KEYS); undefined = no codec. */
  encryptionKeys: readonly EncryptionKey[] | undefined;
  logLevel: z.infer<typeof WorkerConfigSchema>['LOG_LEVEL'];
  /** Prebuilt workflow bundle to load; undefined = bundle the workflows at start (webpack). */
  workflowBundle: string | undefined;
}>;

/** Reads and validates the environment once, listing every invalid key. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerEnvSchema.safeParse(env);
  // Refuses production (NODE_ENV=production) without a tracking secret of at least 32 bytes.
  const tracking = resolveTrackingKeys(env);
  if (!parsed.success || tracking.errors.length > 0) {
    const lines = [
      ...(parsed.error?.issues ?? []).map((i) => `  ${i.path.join('.')}: ${i.message}`),
      ...tracking.errors.map((m) => `  ${m}`),
    ];
    throw new Error(`KAIROS_CONFIG: invalid worker environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const providerUrls = [e.KAIROS_SMS_PROVIDER_URL, e.KAIROS_PUSH_PROVIDER_URL, e.KAIROS_WEBHOOK_URL].filter(
    Boolean,
  );
  if (providerUrls.length > 0 && !e.KAIROS_PROVIDER_SECRET) {
    throw new Error(
      'KAIROS_CONFIG: invalid worker environment:\n  KAIROS_PROVIDER_SECRET: required when a provider URL is set (requests are HMAC-signed)',
    );
  }
  return Object.freeze({
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalConnection: temporalConnectionOptions(e),
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.KAIROS_TASK_QUEUE,
    databaseUrl: e.DATABASE_URL,
    triggersDir: e.KAIROS_TRIGGERS_DIR,
    outboxDir: e.KAIROS_OUTBOX_DIR,
    deploymentName: e.WORKER_DEPLOYMENT_NAME,
    buildId: e.WORKER_BUILD_ID,
    smtpUrl: e.SMTP_URL,
    emailFrom: e.KAIROS_EMAIL_FROM,
    providers: {
      sms: e.KAIROS_SMS_PROVIDER_URL,
      push: e.KAIROS_PUSH_PROVIDER_URL,
      webhook: e.KAIROS_WEBHOOK_URL,
      secret: e.KAIROS_PROVIDER_SECRET,
    },
    escalationWebhookUrl: e.KAIROS_ESCALATION_WEBHOOK_URL,
    historyBound: e.KAIROS_HISTORY_BOUND,
    maxCachedWorkflows: e.KAIROS_MAX_CACHED_WORKFLOWS,
    publicUrl: e.KAIROS_PUBLIC_URL,
    trackingKeys: tracking.keys,
    encryptionKeys: e.KAIROS_ENCRYPTION_KEYS,
    logLevel: e.LOG_LEVEL,
    workflowBundle:
      e.KAIROS_WORKFLOW_BUNDLE ??
      (fs.existsSync(DEFAULT_WORKFLOW_BUNDLE) ? DEFAULT_WORKFLOW_BUNDLE : undefined),
  });
}

/**
 * What `npm run build` needs to prebuild the workflow bundle: the trigger directory whose
 * definitions it compiles in (no database, no Temporal).
 */
export function loadBundleConfig(env: NodeJS.ProcessEnv = process.env): Readonly<{ triggersDir: string }> {
  const parsed = WorkerConfigSchema.pick({ KAIROS_TRIGGERS_DIR: true }).safeParse(env);
  if (!parsed.success)
    throw new Error(
      `KAIROS_CONFIG: invalid build environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return Object.freeze({ triggersDir: parsed.data.KAIROS_TRIGGERS_DIR });
}
