/** Keep-alive JSON POSTs to the gateway, timed, never rejecting (a network error is status 0). */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export type PostResult = { status: number; ms: number; text: string };

export function postJson(
  agent: http.Agent,
  target: { port: number; path: string; key: string },
  body: string,
  timeoutMs = 30_000,
): Promise<PostResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${target.key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, text }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, ms: performance.now() - t0, text: err.message }));
    req.end(body);
  });
}
