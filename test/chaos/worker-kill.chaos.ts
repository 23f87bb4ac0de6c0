import { testDatabaseUrl } from '../support/temporal-env';
import {
  killAllSpawned,
  postUntilAccepted,
  scenarioEvents,
  startStack,
  stopProcess,
  waitForAccounting,
  type Stack,
} from './stack';

afterAll(killAllSpawned);

describe('chaos: worker SIGKILLed in the middle of sends and delays', () => {
  let stack: Stack;

  beforeAll(async () => {
    // A slow provider keeps sends in flight when the worker dies.
    stack = await startStack({ name: 'worker-kill', databaseUrl: testDatabaseUrl(), sinkDelayMs: 400 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('after a restart, every accepted event is in its journey and every response is recorded exactly once', async () => {
    const prefix = `ck-${Date.now()}-`;
    const sent = scenarioEvents(prefix, 25);
    const results = await Promise.all(sent.map((e) => postUntilAccepted(stack.gatewayUrl, stack.key, e)));
    expect(results.every((r) => r.status === 'accepted')).toBe(true);

    // Kill once sends are under way: some deliveries have reached the provider, others not yet,
    // and the delayed responses are still waiting on their timers.
    const started = Date.now();
    while (stack.sink.received.length < 5 && Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const beforeKill = stack.sink.received.length;
    expect(beforeKill).toBeGreaterThanOrEqual(5);
    expect(beforeKill).toBeLessThan(sent.length);
    await stopProcess(stack.worker, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 2_000));
    stack.worker = await stack.startWorker();

    // Sends in flight at the kill are retried after their start-to-close timeout (1 min).
    const accounting = await waitForAccounting(stack, prefix, sent, 150_000);
    process.stdout.write(`chaos worker-kill: ${JSON.stringify({ beforeKill, ...accounting })}\n`);
    expect(accounting.missingEvents).toEqual([]);
    expect(accounting.events).toBe(sent.length);
    expect(accounting.deliveries).toBe(sent.length);
    expect(accounting.fired).toBe(sent.length);
    expect(accounting.delivered).toBe(sent.length);
    expect(accounting.duplicateAttribution).toBe(0);
    // Every response reached the provider; a send cut off by the kill may be repeated, but only
    // ever with the same Idempotency-Key (the provider dedupes on it).
    expect(accounting.providerDistinct).toBe(sent.length);
    expect(accounting.providerUnknown).toBe(0);
  });
});
