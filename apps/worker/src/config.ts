import path from 'node:path';
import { z } from 'zod';
import { NAMESPACE_DEFAULT, TASK_QUEUE } from '@kairos/contracts';

const DEFAULT_TRIGGERS_DIR = path.resolve(__dirname, '..', '..', '..', 'libs', 'triggers', 'examples');

/** Every environment variable the worker reads. */
export const WorkerConfigSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default(NAMESPACE_DEFAULT),
  KAIROS_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/kairos' }),
  KAIROS_TRIGGERS_DIR: z.string().min(1).default(DEFAULT_TRIGGERS_DIR),
  KAIROS_OUTBOX_DIR: z.string().min(1).default(path.resolve(process.cwd(), '.kairos', 'outbox')),
  WORKER_DEPLOYMENT_NAME: z.string().min(1).optional(),
  WORKER_BUILD_ID: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WorkerConfig = Readonly<{
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  triggersDir: string;
  outboxDir: string;
  deploymentName: string | undefined;
  buildId: string | undefined;
  logLevel: z.infer<typeof WorkerConfigSchema>['LOG_LEVEL'];
}>;

/** Reads and validates the environment once, listing every invalid key. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`KAIROS_CONFIG: invalid worker environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.KAIROS_TASK_QUEUE,
    databaseUrl: e.DATABASE_URL,
    triggersDir: e.KAIROS_TRIGGERS_DIR,
    outboxDir: e.KAIROS_OUTBOX_DIR,
    deploymentName: e.WORKER_DEPLOYMENT_NAME,
    buildId: e.WORKER_BUILD_ID,
    logLevel: e.LOG_LEVEL,
  });
}
