/**
 * `npm run models -- <command>` (docs/models.md §6):
 *   train [id]       train every model of KAIROS_TRIGGERS_DIR/models (or one), store, score
 *   list             every stored version with its holdout figures
 *   check [dir]      validate a models folder (default KAIROS_TRIGGERS_DIR/models)
 *   schema           print the JSON Schema of a model file
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPool, runMigrations } from '@kairos/persistence';
import { openEmbeddedPostgres } from '@kairos/persistence/embedded';
import { formatCard, formatVersions } from './cli-format';
import { modelJsonSchema } from './json-schema';
import { loadModelDir, modelsDirOf } from './load-models';
import { trainAndStore } from './model-runner';
import { notifyJourneys } from './notify-journeys';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const USAGE = 'usage: npm run models -- train [id] | list | check [dir] | schema';

type Out = (line: string) => void;

async function openDatabase(env: NodeJS.ProcessEnv): Promise<{ url: string; close: () => Promise<void> }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, close: () => Promise.resolve() };
  const dataDir = path.resolve(env.KAIROS_DATA_DIR || path.join(ROOT, '.kairos', 'data'));
  const db = await openEmbeddedPostgres(path.join(dataDir, 'pg'));
  if (!db)
    throw new Error(
      `DATABASE_URL is not set and ${dataDir} holds no embedded PostgreSQL yet: run \`npm start\` once first, or set DATABASE_URL`,
    );
  return { url: db.url, close: () => db.stop() };
}

/** A Temporal client to tell journeys about moved scores, or null (with a note) when none answers. */
async function temporalClient(
  env: NodeJS.ProcessEnv,
  out: Out,
): Promise<{ client: Client; close: () => Promise<void> } | null> {
  const address = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  try {
    const connection = await Connection.connect({ address, connectTimeout: 2000 });
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE ?? 'default' });
    return { client, close: () => connection.close() };
  } catch {
    out(
      `note: Temporal at ${address} did not answer; journeys read the new scores at their next profile read`,
    );
    return null;
  }
}

function triggersDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.KAIROS_TRIGGERS_DIR ?? path.join(ROOT, 'libs', 'triggers', 'examples'));
}

async function train(id: string | undefined, env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  const dir = modelsDirOf(triggersDir(env));
  const { models, errors } = loadModelDir(dir);
  for (const e of errors) out(`${dir}/${e.file} ${e.path}: ${e.message}`);
  const chosen = id === undefined ? models : models.filter((m) => m.id === id);
  if (chosen.length === 0) {
    out(id === undefined ? `no model in ${dir}` : `no valid model "${id}" in ${dir}`);
    return 1;
  }
  const db = await openDatabase(env);
  const temporal = await temporalClient(env, out);
  const pool = createPool(db.url, 'kairos-models', 4);
  try {
    await runMigrations(db.url);
    for (const def of chosen) {
      const r = await trainAndStore(def, {
        pool,
        ...(temporal
          ? { notify: async (ids: string[]) => void (await notifyJourneys(temporal.client, ids, Date.now())) }
          : {}),
      });
      for (const line of formatCard(r.card)) out(line);
      out(`  scored ${r.scored} customers, ${r.changed} scores changed`);
    }
  } finally {
    await pool.end();
    await temporal?.close();
    await db.close();
  }
  return errors.length > 0 ? 1 : 0;
}

async function list(env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  const db = await openDatabase(env);
  const pool = createPool(db.url, 'kairos-models', 1);
  try {
    await runMigrations(db.url);
    for (const line of await formatVersions(pool)) out(line);
  } finally {
    await pool.end();
    await db.close();
  }
  return 0;
}

/** Runs one command; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  const [command = '', arg] = argv;
  switch (command) {
    case 'train':
      return train(arg, env, out);
    case 'list':
      return list(env, out);
    case 'schema':
      out(JSON.stringify(modelJsonSchema(), null, 2));
      return 0;
    case 'check': {
      const dir = arg ? path.resolve(arg) : modelsDirOf(triggersDir(env));
      const { models, errors } = loadModelDir(dir);
      for (const e of errors) out(`${e.file} ${e.path}: ${e.message}`);
      out(`${models.length} valid model(s), ${errors.length} error(s) in ${dir}`);
      return errors.length > 0 ? 1 : 0;
    }
    default:
      out(USAGE);
      return 2;
  }
}

if (require.main === module)
  main(process.argv.slice(2), process.env, (l) => void process.stdout.write(`${l}\n`)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`models: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
