import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { JourneyEventsRepository } from '@kairos/persistence';
import { createJourneyActivities } from './activities';

export type KairosWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  deploymentName?: string;
  buildId?: string;
};

/** Builds the Kairos worker over explicit dependencies (tests pass their own). */
export async function createKairosWorker(options: KairosWorkerOptions): Promise<Worker> {
  const activities = {
    ...createJourneyActivities({ events: new JourneyEventsRepository(options.pool) }),
  };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities,
    ...(options.deploymentName && options.buildId
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version: { deploymentName: options.deploymentName, buildId: options.buildId },
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  });
}
