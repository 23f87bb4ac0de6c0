/** Runs the minimal journey's worker in this process, on its own task queue beside the stack. */
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createMinimalActivities } from './minimal-journey.activities';

export const MINIMAL_WORKFLOW_TYPE = 'minimalJourneyWorkflow';

export type MinimalWorker = { stop(): Promise<void> };

/** Bundles the workflow (webpack, before anything is timed), then starts polling. */
export async function startMinimalWorker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  sinkUrl: string;
  /** The same cache bound as the Kairos worker (KAIROS_MAX_CACHED_WORKFLOWS, default 1000). */
  maxCachedWorkflows: number;
}): Promise<MinimalWorker> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./minimal-journey.workflow'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  // Worker lifecycle lines at INFO would interleave with the bench's own output.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* an earlier bench of this `npm run bench` already created the runtime: keep its logger */
  }
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: createMinimalActivities(options.sinkUrl),
    maxCachedWorkflows: options.maxCachedWorkflows,
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
