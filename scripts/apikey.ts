/**
 * `npm run apikey -- create --name web --scopes events:write,customers:write`
 * `npm run apikey -- list`
 * `npm run apikey -- revoke <id>`
 * Manages the gateway's API keys in the database of DATABASE_URL, or without it in the embedded
 * PostgreSQL of `npm start`'s data folder (KAIROS_DATA_DIR): the running server when `npm start`
 * runs, else started for the command and stopped after it. Migrated first. The key is printed
 * once, at creation; only its SHA-256 hash is stored.
 */
import { parseArgs } from 'node:util';
import {
  API_KEY_SCOPES,
  ApiKeysRepository,
  createPool,
  runMigrations,
  type ApiKeyScope,
} from '@kairos/persistence';
import { openEmbeddedPostgres } from '@kairos/persistence/embedded';
import { clusterDirOf, dataDirOf } from './support/data-dir';

const USAGE = `usage:
  npm run apikey -- create --name <name> --scopes <scope,scope...> [--json]
  npm run apikey -- list [--json]
  npm run apikey -- revoke <id>
scopes: ${API_KEY_SCOPES.join(', ')}
Uses DATABASE_URL when set (postgres://user:pass@host:5432/kairos, the database the gateway uses),
else the embedded PostgreSQL of npm start in KAIROS_DATA_DIR (default .kairos/data).`;

class UsageError extends Error {}
/** Nothing to connect to: the message says what to do; the usage text would bury it. */
class NoDatabaseError extends Error {}

function parseScopes(raw: string | undefined): ApiKeyScope[] {
  if (!raw) throw new UsageError('--scopes is required (comma-separated)');
  const scopes = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (unknown.length || scopes.length === 0)
    throw new UsageError(
      `unknown scope(s) ${unknown.join(', ') || '(none given)'}; choose from ${API_KEY_SCOPES.join(', ')}`,
    );
  return scopes as ApiKeyScope[];
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) throw new UsageError(command ? '' : 'a command is required');
  if (!['create', 'list', 'revoke'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  let scopes: ApiKeyScope[] = [];
  if (command === 'create') {
    if (!values.name) throw new UsageError('--name is required');
    scopes = parseScopes(values.scopes);
  }
  if (command === 'revoke' && rest.length !== 1)
    throw new UsageError('revoke takes exactly one key id (see `list`)');
  const db = await openDatabase(env);
  try {
    await runMigrations(db.url);
    await run(command, rest, values, scopes, db.url, out);
  } finally {
    await db.close();
  }
}

/** DATABASE_URL, else the embedded cluster of `npm start`'s data folder, running or not. */
async function openDatabase(env: NodeJS.ProcessEnv): Promise<{ url: string; close: () => Promise<void> }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, close: () => Promise.resolve() };
  const db = await openEmbeddedPostgres(clusterDirOf(env));
  if (!db)
    throw new NoDatabaseError(
      `DATABASE_URL is not set and ${dataDirOf(env)} holds no embedded PostgreSQL yet: run \`npm start\` once first ` +
        '(with the same KAIROS_DATA_DIR), or set DATABASE_URL=postgres://user:pass@host:5432/kairos (the database the gateway uses)',
    );
  return { url: db.url, close: () => db.stop() };
}

async function run(
  command: string,
  rest: string[],
  values: { name?: string; json?: boolean },
  scopes: ApiKeyScope[],
  url: string,
  out: (line: string) => void,
): Promise<void> {
  const pool = createPool(url, 'kairos-apikey', 1);
  try {
    const repo = new ApiKeysRepository(pool);
    if (command === 'create') {
      const { key, record } = await repo.create(values.name!, scopes);
      if (values.json) out(JSON.stringify({ id: record.id, name: record.name, scopes: record.scopes, key }));
      else {
        out(`created API key ${record.id} "${record.name}" with scopes ${record.scopes.join(', ')}`);
        out(`key (shown once, store it now): ${key}`);
      }
    } else if (command === 'list') {
      const r = await pool.query<{
        id: string;
        name: string;
        scopes: string[];
        created_at: Date;
        revoked_at: Date | null;
      }>('SELECT id, name, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at, id');
      if (values.json)
        out(
          JSON.stringify(
            r.rows.map((k) => ({
              id: k.id,
              name: k.name,
              scopes: k.scopes,
              createdAt: k.created_at,
              revokedAt: k.revoked_at,
            })),
          ),
        );
      else if (r.rows.length === 0) out('no API keys');
      else
        for (const k of r.rows)
          out(
            `${k.id}  ${k.name.padEnd(16)}  ${k.scopes.join(',').padEnd(40)}  ${k.created_at.toISOString()}${k.revoked_at ? `  revoked ${k.revoked_at.toISOString()}` : ''}`,
          );
    } else {
      const id = rest[0]!;
      if (!(await repo.revoke(id)))
        throw new UsageError(`no active key with id "${id}" (see \`npm run apikey -- list\`)`);
      out(`revoked API key ${id}`);
    }
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    () => process.exit(0),
    (err: unknown) => {
      if (
        err instanceof UsageError ||
        (err instanceof Error &&
          'code' in err &&
          String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))
      ) {
        process.stderr.write(`${err.message ? `apikey: ${err.message}\n` : ''}${USAGE}\n`);
        process.exit(2);
      }
      if (err instanceof NoDatabaseError) {
        process.stderr.write(`apikey: ${err.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`apikey: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
