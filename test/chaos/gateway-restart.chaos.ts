import { testDatabaseUrl } from '../support/temporal-env';
import {
  killAllSpawned,
  postUntilAccepted,
  startStack,
  stopProcess,
  waitForAccounting,
  type SentEvent,
  type Stack,
} from './stack';

afterAll(killAllSpawned);

describe('chaos: gateway restarted under load', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'gateway-restart', databaseUrl: testDatabaseUrl() });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('clients retrying with the same ids lose nothing: every accepted id is in journey_events once, answered once', async () => {
    const prefix = `cg-${Date.now()}-`;
    const customers = 40;
    const sent: SentEvent[] = [];
    const results: { status: string; attempts: number }[] = [];
    let stopping = false;
    // 8 concurrent clients, each sending its own stream of events as fast as they are answered.
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let i = 0; !stopping; i++) {
        const event: SentEvent = {
          id: `${prefix}g-${c}-${i}`,
          customerId: `${prefix}${(c * 7 + i) % customers}`,
          name: 'chaos.now',
        };
        sent.push(event);
        results.push(await postUntilAccepted(stack.gatewayUrl, stack.key, event, 90_000));
      }
    });
    await new Promise((r) => setTimeout(r, 4_000));
    const beforeRestart = results.length;
    // A graceful restart (deploy), then a crash.
    await stopProcess(stack.gateway, 'SIGTERM');
    stack.gateway = await stack.startGateway();
    await new Promise((r) => setTimeout(r, 3_000));
    await stopProcess(stack.gateway, 'SIGKILL');
    stack.gateway = await stack.startGateway();
    await new Promise((r) => setTimeout(r, 3_000));
    stopping = true;
    await Promise.all(clients);

    expect(beforeRestart).toBeGreaterThan(20);
    expect(results.length).toBe(sent.length);
    expect(results.every((r) => r.status === 'accepted' || r.status === 'duplicate')).toBe(true);
    const retried = results.filter((r) => r.attempts > 1).length;
    expect(retried).toBeGreaterThan(0);

    const accounting = await waitForAccounting(stack, prefix, sent, 120_000);
    process.stdout.write(
      `chaos gateway-restart: ${JSON.stringify({ sent: sent.length, retried, beforeRestart, ...accounting })}\n`,
    );
    expect(accounting.missingEvents).toEqual([]);
    expect(accounting.events).toBe(sent.length);
    expect(accounting.deliveries).toBe(sent.length);
    expect(accounting.fired).toBe(sent.length);
    expect(accounting.delivered).toBe(sent.length);
    expect(accounting.duplicateAttribution).toBe(0);
    expect(accounting.providerDistinct).toBe(sent.length);
    expect(accounting.providerDuplicates).toBe(0);
  });
});
