import { NativeConnection } from '@temporalio/worker';
import { createEncryptionCodec } from '@kairos/codec';
import { createPool, runMigrations } from '@kairos/persistence';
import { loadWorkerConfig } from './config';
import { createKairosWorker } from './worker';
import { exitWithParent } from './exit-with-parent';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  exitWithParent();
  await runMigrations(config.databaseUrl);
  const pool = createPool(config.databaseUrl, 'kairos-worker');
  const connection = await NativeConnection.connect({
    address: config.temporalAddress,
    ...config.temporalConnection,
  });
  const payloadCodec = createEncryptionCodec(config.encryptionKeys);
  const worker = await createKairosWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    pool,
    deploymentName: config.deploymentName,
    buildId: config.buildId,
    triggersDir: config.triggersDir,
    outboxDir: config.outboxDir,
    ...(config.smtpUrl ? { smtp: { url: config.smtpUrl, from: config.emailFrom } } : {}),
    providers: {
      ...(config.providers.sms ? { sms: config.providers.sms } : {}),
      ...(config.providers.push ? { push: config.providers.push } : {}),
      ...(config.providers.webhook ? { webhook: config.providers.webhook } : {}),
      ...(config.providers.secret ? { secret: config.providers.secret } : {}),
    },
    ...(config.escalationWebhookUrl ? { escalationWebhookUrl: config.escalationWebhookUrl } : {}),
    ...(config.publicUrl ? { tracking: { publicUrl: config.publicUrl, keys: config.trackingKeys } } : {}),
    historyBound: config.historyBound,
    maxCachedWorkflows: config.maxCachedWorkflows,
    ...(payloadCodec ? { payloadCodec } : {}),
    ...(config.workflowBundle ? { workflowBundlePath: config.workflowBundle } : {}),
  });
  const started = {
    level: 'info',
    msg: 'worker started',
    taskQueue: config.taskQueue,
    address: config.temporalAddress,
    workflowBundle: config.workflowBundle ?? 'bundled at start',
  };
  process.stdout.write(`${JSON.stringify(started)}\n`);
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks drain.
  await worker.run();
  await connection.close();
  await pool.end();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
