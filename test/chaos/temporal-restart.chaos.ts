import { testDatabaseUrl } from '../support/temporal-env';
import {
  killAllSpawned,
  postUntilAccepted,
  scenarioEvents,
  startStack,
  waitForAccounting,
  type Stack,
} from './stack';

afterAll(killAllSpawned);

describe('chaos: Temporal dev server stopped and restarted on its persisted database', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'temporal-restart', databaseUrl: testDatabaseUrl(), sinkDelayMs: 100 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('journeys continue after the restart: pending timers fire, retried events land, nothing is lost or doubled', async () => {
    const prefix = `ct-${Date.now()}-`;
    const before = scenarioEvents(prefix, 20, 0);
    const accepted = await Promise.all(before.map((e) => postUntilAccepted(stack.gatewayUrl, stack.key, e)));
    expect(accepted.every((r) => r.status === 'accepted')).toBe(true);

    // Stop while the delayed responses (4 s timers) are pending and immediate sends run.
    await stack.temporal.stop();
    // Clients keep sending while Temporal is down: 503, retried with the same ids.
    const during = scenarioEvents(prefix, 20, 1);
    const retried = Promise.all(during.map((e) => postUntilAccepted(stack.gatewayUrl, stack.key, e, 90_000)));
    await new Promise((r) => setTimeout(r, 8_000));
    stack.temporal = await stack.startTemporal();
    const duringResults = await retried;
    expect(duringResults.every((r) => r.status === 'accepted' || r.status === 'duplicate')).toBe(true);
    expect(duringResults.some((r) => r.attempts > 1)).toBe(true);

    const sent = [...before, ...during];
    const accounting = await waitForAccounting(stack, prefix, sent, 150_000);
    process.stdout.write(`chaos temporal-restart: ${JSON.stringify(accounting)}\n`);
    expect(accounting.missingEvents).toEqual([]);
    expect(accounting.events).toBe(sent.length);
    expect(accounting.deliveries).toBe(sent.length);
    expect(accounting.fired).toBe(sent.length);
    expect(accounting.delivered).toBe(sent.length);
    expect(accounting.duplicateAttribution).toBe(0);
    expect(accounting.providerDistinct).toBe(sent.length);
    expect(accounting.providerUnknown).toBe(0);
  });
});
