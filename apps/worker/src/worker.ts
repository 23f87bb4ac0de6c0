import { type NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Duration, PayloadCodec } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Channel } from '@kairos/triggers';
import { CustomersReadRepository, DefinitionVersionsRepository } from '@kairos/persistence';
import {
  toDefinitionsVersion,
  type LoadedDefinitions,
  type ProfileSource,
  type Transport,
} from './activities';
import { createWorkerActivities } from './activities/worker-activities';
import { loadDefinitionsRegistry } from './definitions/definitions-registry';
import { loadWorkflowCode } from './definitions/workflow-code';
import { unseenEventWarnings } from './definitions/definition-warnings';
import { reportDefinitionsWhileRunning } from './definitions/definitions-heartbeat';
import type { TrackingOptions } from './delivery/tracking';
import { createHttpProvider, createSmtpTransport } from './delivery/transports';
import { setupModels } from './models/models-setup';

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
      warnings: { file: string; path: string; message: string }[];
    };
  };
  const r = node.loadTriggerDir(dir);
  if (r.errors.length > 0) {
    throw new Error(
      `KAIROS_TRIGGERS: ${dir} has invalid definitions:\n${r.errors.map((e) => `  ${e.path ?? ''} ${e.message}`).join('\n')}`,
    );
  }
  // Legal but suspicious (docs/triggers.md §2.9): logged so an operator sees them, never fatal.
  for (const w of r.warnings)
    Runtime.instance().logger.warn(`trigger definition warning: ${w.message}`, {
      file: w.file,
      path: w.path,
    });
  return { triggers: r.triggers, policy: r.policy, templates: r.templates };
}

/** SMTP, the HTTP providers that have a URL (and the shared secret), then the explicit transports. */
function deliveryTransports(options: KairosWorkerOptions): Partial<Record<Channel, Transport>> {
  const transports: Partial<Record<Channel, Transport>> = {};
  if (options.smtp) transports.email = createSmtpTransport(options.smtp);
  const secret = options.providers?.secret;
  for (const channel of ['sms', 'push', 'webhook'] as const) {
    const url = options.providers?.[channel];
    if (url && secret) transports[channel] = createHttpProvider({ url, secret });
  }
  Object.assign(transports, options.transports);
  return transports;
}

/** Logs the event names of the triggers that no event carried lately (docs/triggers.md §2.8). */
async function warnUnseenEvents(loaded: LoadedDefinitions, pool: Pool): Promise<void> {
  for (const w of await unseenEventWarnings(loaded.triggers, pool))
    Runtime.instance().logger.warn(`trigger definition warning: ${w.message}`, {
      trigger: w.trigger,
      path: w.path,
    });
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
  const transports = deliveryTransports(options);
  await warnUnseenEvents(loaded, options.pool);
  const current = toDefinitionsVersion(loaded);
  const registry = await loadDefinitionsRegistry(
    new DefinitionVersionsRepository(options.pool),
    current,
    (m) => {
      Runtime.instance().logger.warn(m);
    },
  );
  const activities = createWorkerActivities({
    pool: options.pool,
    current,
    templates: loaded.templates,
    profiles,
    transports,
    outboxDir: options.outboxDir ?? '.kairos/outbox',
    ...(options.tracking ? { tracking: options.tracking } : {}),
    ...(options.escalationWebhookUrl ? { escalationWebhookUrl: options.escalationWebhookUrl } : {}),
    historyBound: options.historyBound ?? 10_000,
    taskQueue: options.taskQueue,
  });
  const { workflowBundle, buildId } = await loadWorkflowCode(options, registry);
  // Predictive models (docs/models.md): KAIROS_TRIGGERS_DIR/models, trained on Schedules.
  const models = setupModels(options);
  const deployment =
    options.deploymentName && options.buildId
      ? { deploymentName: options.deploymentName, buildId: options.buildId }
      : null;
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    // Without Worker Versioning, a short build id of the code (see buildIdOf).
    ...(deployment ? {} : { buildId }),
    activities: { ...activities, ...models.activities },
    maxCachedWorkflows: options.maxCachedWorkflows ?? 1000,
    ...(options.payloadCodec ? { dataConverter: { payloadCodecs: [options.payloadCodec] } } : {}),
    ...(options.stickyQueueScheduleToStartTimeout
      ? { stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeout }
      : {}),
    ...(deployment
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version: deployment,
            // Pinned: a running journey stays on the build that started it until continue-as-new
            // (see README "Shipping a workflow change"); new runs go to the current version.
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  });
  await models.schedule((m) => {
    Runtime.instance().logger.warn(m);
  });
  // Gateways compare this hash with their own (a mismatch shows on their /health/ready).
  reportDefinitionsWhileRunning(worker, {
    pool: options.pool,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    hash: current.hash,
    warn: (m) => {
      Runtime.instance().logger.warn(m);
    },
  });
  return worker;
}
