// `npm start`'s stack for a benchmark that measures against raw signal-with-start: a temporary
// folder, the bench triggers, a loopback webhook sink, the stack and a Temporal client, torn down
// whatever happens.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readDevServerSettings } from '../../support/dev-server';
import { writeBenchTriggers } from './bench-triggers';
import { startKairosStack } from './kairos-stack';
import { KAIROS_PATH, type BenchContext, type ThroughputOptions } from './throughput-context';
import { startWebhookSink } from './webhook-sink';

type SinkKey = Parameters<typeof startWebhookSink>[0];

export async function withBenchStack<T>(
  name: string,
  options: ThroughputOptions,
  sinkKey: SinkKey,
  body: (ctx: BenchContext) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kairos-${name}-`));
  // Run as root, embedded PostgreSQL runs as the user "postgres", who must be able to pass through.
  fs.chmodSync(dir, 0o711);
  const sink = await startWebhookSink(sinkKey);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let stack: BenchContext['stack'] | undefined;
  let connection: Connection | undefined;
  try {
    writeBenchTriggers(path.join(dir, 'triggers'));
    process.stdout.write(`${name}: starting npm start's stack in ${dir}\n`);
    stack = await startKairosStack({
      dir,
      triggersDir: path.join(dir, 'triggers'),
      webhookUrl: sink.url(KAIROS_PATH),
    });
    connection = await Connection.connect({ address: stack.temporalAddress });
    const namespace = readDevServerSettings().namespace;
    const client = new Client({ connection, namespace });
    return await body({ client, namespace, sink, stack, agent, options });
  } finally {
    await connection?.close();
    await stack?.stop();
    agent.destroy();
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
