import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Duration, PayloadCodec } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Channel } from '@kairos/triggers';
import { CustomersReadRepository } from '@kairos/persistence';
import {
  toDefinitionsVersion,
  type LoadedDefinitions,
  type ProfileSource,
  type Transport,
} from './activities';
import { createWorkerActivities } from './activities/worker-activities';
import type { TrackingOptions } from './delivery/tracking';
import { createHttpProvider, createSmtpTransport } from './delivery/transports';
import { WORKFLOWS_PATH } from './workflow-bundle';

export type KairosWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  deploymentName?: string;
  buildId?: string;
  /** Trigger definitions, policy and templates; default: loaded from `triggersDir` at start. */
  definitions?: LoadedDefinitions;
  triggersDir?: string;
  /** Local outbox directory (one JSON file per delivery). */
  outboxDir?: string;
  /** Profiles; default: the gateway's `customers` table. */
  profiles?: ProfileSource;
  smtp?: { url: string; from: string };
  providers?: { sms?: string; push?: string; webhook?: string; secret?: string };
  /** Extra or replacement transports per channel (tests). */
  transports?: Partial<Record<Channel, Transport>>;
  escalationWebhookUrl?: string;
  /** Open and click tracking links to the gateway (KAIROS_PUBLIC_URL); untracked when absent. */
  tracking?: TrackingOptions;
  /** Continue-as-new once a run's history holds this many events. */
  historyBound?: number;
  maxCachedWorkflows?: number;
  /** How soon the server gives a journey to another worker when its cached worker is gone. */
  stickyQueueScheduleToStartTimeout?: Duration;
  /** Encrypts every payload the worker sends to Temporal (KAIROS_ENCRYPTION_KEYS); none by default. */
  payloadCodec?: PayloadCodec;
  /** Path of the workflows module (tests of incompatible changes pass another bundle). */
  workflowsPath?: string;
  /** Prebuilt bundle of the workflows (`npm run build`): no webpack at start. Ignored with workflowsPath. */
  workflowBundlePath?: string;
};

/** The workflow code to load: an explicit module, else the prebuilt bundle, else the workflows bundled now. */
function workflowSource(
  options: KairosWorkerOptions,
): { workflowsPath: string } | { workflowBundle: { codePath: string } } {
  if (options.workflowsPath) return { workflowsPath: options.workflowsPath };
  if (options.workflowBundlePath) return { workflowBundle: { codePath: options.workflowBundlePath } };
  return { workflowsPath: WORKFLOWS_PATH };
}

/** Loads KAIROS_TRIGGERS_DIR through libs/triggers' loader (Node side); errors list every bad file. */
export function loadDefinitionsFromDir(dir: string): LoadedDefinitions {
  // Required lazily: only a worker without explicit definitions reads the file system.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const node = require('@kairos/triggers/node') as {
    loadTriggerDir(d: string): {
      triggers: LoadedDefinitions['triggers'];
      policy: LoadedDefinitions['policy'];
      templates: Record<string, string>;
      errors: { path?: string; message: string }[];
    };
  };
  const r = node.loadTriggerDir(dir);
  if (r.errors.length > 0) {
    throw new Error(
      `KAIROS_TRIGGERS: ${dir} has invalid definitions:\n${r.errors.map((e) => `  ${e.path ?? ''} ${e.message}`).join('\n')}`,
    );
  }
  return { triggers: r.triggers, policy: r.policy, templates: r.templates };
}

/** Builds the Kairos worker over explicit dependencies (tests pass their own). */
export async function createKairosWorker(options: KairosWorkerOptions): Promise<Worker> {
  const loaded =
    options.definitions ??
    (options.triggersDir
      ? loadDefinitionsFromDir(options.triggersDir)
      : { triggers: [], policy: null, templates: {} });
  const customers = new CustomersReadRepository(options.pool);
  const profiles: ProfileSource = options.profiles ?? { get: async (id) => await customers.get(id) };
  const transports: Partial<Record<Channel, Transport>> = {};
  if (options.smtp) transports.email = createSmtpTransport(options.smtp);
  const secret = options.providers?.secret;
  for (const channel of ['sms', 'push', 'webhook'] as const) {
    const url = options.providers?.[channel];
    if (url && secret) transports[channel] = createHttpProvider({ url, secret });
  }
  Object.assign(transports, options.transports);
  const activities = createWorkerActivities({
    pool: options.pool,
    current: toDefinitionsVersion(loaded),
    templates: loaded.templates,
    profiles,
    transports,
    outboxDir: options.outboxDir ?? '.kairos/outbox',
    ...(options.tracking ? { tracking: options.tracking } : {}),
    ...(options.escalationWebhookUrl ? { escalationWebhookUrl: options.escalationWebhookUrl } : {}),
    historyBound: options.historyBound ?? 10_000,
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflowSource(options),
    activities,
    maxCachedWorkflows: options.maxCachedWorkflows ?? 1000,
    ...(options.payloadCodec ? { dataConverter: { payloadCodecs: [options.payloadCodec] } } : {}),
    ...(options.stickyQueueScheduleToStartTimeout
      ? { stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeout }
      : {}),
    ...(options.deploymentName && options.buildId
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version: { deploymentName: options.deploymentName, buildId: options.buildId },
            // Pinned: a running journey stays on the build that started it until continue-as-new
            // (see README "Shipping a workflow change"); new runs go to the current version.
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  });
}
