/**
 * Runs the real Temporal dev server (CLI `server start-dev`: SQLite persistence + Web UI) with
 * the namespace, search attributes and dynamic config of temporal/dev-server.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { findFreePort } from '@kairos/persistence';
import { ROOT, binaryNotFoundError, resolveTemporalBinary } from './temporal-binaries';

type DevServerSettings = {
  namespace: string;
  searchAttributes: Record<string, string>;
  dynamicConfig: Record<string, unknown>;
};

export function readDevServerSettings(): DevServerSettings {
  return JSON.parse(
    fs.readFileSync(path.join(ROOT, 'temporal', 'dev-server.json'), 'utf8'),
  ) as DevServerSettings;
}

/**
 * SQLite pragmas of the file-backed dev server, which is bound by its writes (every history event
 * and workflow task is one). With a write-ahead log a commit appends to `<db>-wal` instead of
 * going through a rollback journal, and `synchronous=normal` syncs at checkpoints rather than at
 * every commit: raw signal-with-start about 3x faster (`npm run bench -- throughput`, see
 * bench-results/throughput.md). Durability: still crash-safe for the database (a killed dev
 * server loses nothing committed and the file never corrupts), but a power loss or OS crash may
 * roll back the last transactions committed before it, i.e. events already answered 202. Fine
 * for development and tests; a production Temporal keeps its history in its own database.
 */
const SQLITE_FILE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

export type DevServer = {
  address: string;
  port: number;
  uiPort: number | null;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
};

export type DevServerOptions = {
  /** SQLite file for persistence; omitted = in-memory. */
  dbFile?: string;
  port?: number;
  /** null = headless. */
  uiPort?: number | null;
  logFile?: string;
  readyTimeoutMs?: number;
  /** Remote codec endpoint the Web UI uses to show decrypted payloads. */
  uiCodecEndpoint?: string;
};

/** The `temporal server start-dev` arguments: ports, UI, SQLite file and the settings' extras. */
function devServerArgs(
  settings: DevServerSettings,
  ports: { port: number; uiPort: number | null; httpPort: number; metricsPort: number },
  options: DevServerOptions,
): string[] {
  const { port, uiPort } = ports;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    settings.namespace,
  ];
  args.push(
    '--log-level',
    'warn',
    '--http-port',
    String(ports.httpPort),
    '--metrics-port',
    String(ports.metricsPort),
  );
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1', '--ui-disable-news-fetch');
  if (options.uiCodecEndpoint && uiPort !== null) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of SQLITE_FILE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  for (const [name, type] of Object.entries(settings.searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(settings.dynamicConfig)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const resolved = resolveTemporalBinary('cli');
  if (resolved.kind !== 'path') {
    // The dev server is spawned by us, not the SDK, so there is no download to fall back to here.
    throw binaryNotFoundError('cli', resolved.tried, new Error('not attempted for the dev server'));
  }
  const settings = readDevServerSettings();
  // Ports chosen before any is bound: each must differ from the ones already taken, because the
  // OS may hand a just-released port out again (it did: gRPC and HTTP both got the same one).
  const taken = new Set<number>();
  const distinct = async (given?: number): Promise<number> => {
    let p = given ?? (await findFreePort());
    while (taken.has(p)) p = await findFreePort();
    taken.add(p);
    return p;
  };
  const port = await distinct(options.port);
  const uiPort = options.uiPort === undefined ? await distinct() : options.uiPort;
  if (uiPort !== null) taken.add(uiPort);
  const httpPort = await distinct();
  const metricsPort = await distinct();
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = devServerArgs(settings, { port, uiPort, httpPort, metricsPort }, options);
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(resolved.path, args, { stdio: ['ignore', out, out] });
  const address = `127.0.0.1:${port}`;
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited)
      throw new Error(`KAIROS_TEMPORAL_START: temporal dev server exited early (args: ${args.join(' ')})`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.describeNamespace({ namespace: settings.namespace });
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`KAIROS_TEMPORAL_START: dev server not ready on ${address}: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { address, port, uiPort, namespace: settings.namespace, process: child, stop };
}
