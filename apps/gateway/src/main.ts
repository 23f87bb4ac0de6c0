import { loadGatewayConfig } from './config';
import { createGateway } from './app';
import { TriggersDirError } from './triggers/trigger-catalog.service';
import { runMigrations } from '@kairos/persistence';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  if (process.env.KAIROS_EXIT_WITH_PARENT === '1') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
    }, 1_000).unref();
  }
  await runMigrations(config.databaseUrl);
  const app = await createGateway(config);
  await app.listen(config.port, config.host);
  process.stdout.write(
    `${JSON.stringify({ level: 'info', msg: 'gateway listening', url: await app.getUrl() })}\n`,
  );
}

main().catch((err: unknown) => {
  // A refused trigger folder is the user's to fix: one line, no stack.
  const text =
    err instanceof TriggersDirError
      ? err.message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
