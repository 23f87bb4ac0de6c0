/**
 * A loopback HTTP sink that stands in for the providers: every POST body is JSON with a `key`
 * (what makes a delivery distinct) and a `customerId`. The first arrival of each key is kept
 * with its time, so the bench counts distinct deliveries and measures latency.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export type Arrival = { key: string; customerId: string; at: number };

export type WebhookSink = {
  url: (path: string) => string;
  /** Distinct deliveries so far on one path. */
  count(path: string): number;
  /** First arrivals of one customer on one path, in arrival order. */
  arrivalsOf(path: string, customerId: string): Arrival[];
  /** Resolves with the time the path reached `target` distinct deliveries, or null at the deadline. */
  waitFor(path: string, target: number, timeoutMs: number): Promise<number | null>;
  /** Requests received, repeats included. */
  requests(): number;
  close(): Promise<void>;
};

type Channel = { keys: Set<string>; byCustomer: Map<string, Arrival[]> };

/** `keyOf` picks the distinct key and the customer out of a path's body. */
export async function startWebhookSink(
  keyOf: (path: string, body: Record<string, unknown>) => { key: string; customerId: string } | null,
): Promise<WebhookSink> {
  const channels = new Map<string, Channel>();
  const channel = (path: string): Channel => {
    let c = channels.get(path);
    if (!c) channels.set(path, (c = { keys: new Set(), byCustomer: new Map() }));
    return c;
  };
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const at = performance.now();
      requests++;
      const path = req.url ?? '/';
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        /* counted as a request, never as a delivery */
      }
      const id = keyOf(path, parsed);
      const c = channel(path);
      if (id && !c.keys.has(id.key)) {
        c.keys.add(id.key);
        const list = c.byCustomer.get(id.customerId) ?? [];
        list.push({ ...id, at });
        c.byCustomer.set(id.customerId, list);
      }
      res.writeHead(id ? 200 : 400, { 'content-type': 'application/json' });
      res.end(id ? '{"ok":true}' : '{"ok":false}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    count: (path) => channel(path).keys.size,
    arrivalsOf: (path, customerId) => channel(path).byCustomer.get(customerId) ?? [],
    async waitFor(path, target, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      // Polled rather than event-driven: 5 ms resolution is well below the rates measured.
      while (channel(path).keys.size < target) {
        if (performance.now() > deadline) return null;
        await new Promise((r) => setTimeout(r, 5));
      }
      return lastArrival(channel(path));
    },
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function lastArrival(c: Channel): number {
  let last = 0;
  for (const list of c.byCustomer.values()) for (const a of list) last = Math.max(last, a.at);
  return last;
}
