/** Events into Kairos through its REST API, the way producers send them. */
import { postJson } from './gateway-client';
import type { BenchContext } from './throughput-context';
import { inFlight } from './load-driver';

export type BenchEvent = {
  id: string;
  customerId: string;
  name: string;
  properties: Record<string, unknown>;
};

type BatchAnswer = { index: number; status: string; retryAfter?: number };

const ATTEMPTS = 5;
/** Batches in flight at once; the gateway signals 32 customers of each batch at a time. */
const BATCHES_IN_FLIGHT = 2;

/**
 * POST /v1/events/batch in batches of `options.batch`, a few in flight; items the gateway
 * rejects (429, 503) are sent again with the same ids, as a producer would.
 */
export async function postEventBatches(ctx: BenchContext, events: readonly BenchEvent[]): Promise<void> {
  let todo = [...events];
  for (let attempt = 1; todo.length > 0; attempt++) {
    if (attempt > ATTEMPTS)
      throw new Error(`${todo.length} events still rejected after ${ATTEMPTS} attempts`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, 1_000));
    const chunks: BenchEvent[][] = [];
    for (let i = 0; i < todo.length; i += ctx.options.batch)
      chunks.push(todo.slice(i, i + ctx.options.batch));
    const rejected: BenchEvent[] = [];
    await inFlight(chunks.length, BATCHES_IN_FLIGHT, async (c) => {
      const chunk = chunks[c]!;
      rejected.push(...(await postBatch(ctx, chunk)));
    });
    todo = rejected;
  }
}

/** One batch; resolves with the items to send again. */
async function postBatch(ctx: BenchContext, chunk: BenchEvent[]): Promise<BenchEvent[]> {
  const target = { port: ctx.stack.gatewayPort, path: '/v1/events/batch', key: ctx.stack.apiKey };
  const r = await postJson(ctx.agent, target, JSON.stringify({ events: chunk }), 120_000);
  if (r.status !== 200) return chunk;
  const answers = (JSON.parse(r.text) as { results: BatchAnswer[] }).results;
  const rejected = answers.filter((a) => a.status === 'rejected').map((a) => chunk[a.index]!);
  const odd = answers.filter((a) => !['accepted', 'duplicate', 'rejected'].includes(a.status));
  if (odd.length)
    throw new Error(`gateway answered ${odd[0]!.status} for a bench event: ${r.text.slice(0, 300)}`);
  return rejected;
}

/** POST /v1/events with one event; throws unless the gateway accepted it. */
export async function postEvent(ctx: BenchContext, event: BenchEvent): Promise<void> {
  const target = { port: ctx.stack.gatewayPort, path: '/v1/events', key: ctx.stack.apiKey };
  const r = await postJson(ctx.agent, target, JSON.stringify(event));
  if (r.status !== 202) throw new Error(`POST /v1/events answered ${r.status}: ${r.text.slice(0, 300)}`);
}
