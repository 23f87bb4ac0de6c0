import { testDatabaseUrl } from '../support/temporal-env';
import { accountEmail, putMailProfile } from './email';
import {
  killAllSpawned,
  postUntilAccepted,
  scenarioEvents,
  startStack,
  stopProcess,
  waitForAccounting,
  type SentEvent,
  type Stack,
} from './stack';

const MAIL_CUSTOMERS = 15;

afterAll(killAllSpawned);

describe('chaos: worker SIGKILLed in the middle of sends and delays', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Slow providers keep sends in flight when the worker dies.
    stack = await startStack({
      name: 'worker-kill',
      databaseUrl: testDatabaseUrl(),
      sinkDelayMs: 400,
      smtpDelayMs: 400,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('after a restart, every accepted event is in its journey, every response recorded once, no email sent twice', async () => {
    const prefix = `ck-${Date.now()}-`;
    const hooks = scenarioEvents(prefix, 25);
    const mails: SentEvent[] = Array.from({ length: MAIL_CUSTOMERS }, (_, c) => ({
      id: `${prefix}mail-${c}`,
      customerId: `${prefix}m${c}`,
      name: 'chaos.mail',
    }));
    for (const m of mails) await putMailProfile(stack, m.customerId);
    const sent = [...hooks, ...mails];
    const results = await Promise.all(sent.map((e) => postUntilAccepted(stack.gatewayUrl, stack.key, e)));
    expect(results.every((r) => r.status === 'accepted')).toBe(true);

    // Kill once sends are under way: some deliveries have reached the provider, others not yet,
    // and the delayed responses are still waiting on their timers.
    const started = Date.now();
    while (
      (stack.sink.received.length < 5 || stack.smtp.received.length < 3) &&
      Date.now() - started < 30_000
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const beforeKill = stack.sink.received.length;
    const mailsBeforeKill = stack.smtp.received.length;
    expect(beforeKill).toBeGreaterThanOrEqual(5);
    expect(beforeKill).toBeLessThan(hooks.length);
    expect(mailsBeforeKill).toBeGreaterThanOrEqual(3);
    await stopProcess(stack.worker, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 2_000));
    stack.worker = await stack.startWorker();

    // Sends in flight at the kill are retried after their start-to-close timeout (1 min).
    const accounting = await waitForAccounting(stack, prefix, sent, 150_000);
    const email = await accountEmail(stack, prefix);
    process.stdout.write(
      `chaos worker-kill: ${JSON.stringify({ beforeKill, mailsBeforeKill, ...accounting })}\n` +
        `chaos worker-kill email (SMTP, at most once): ${JSON.stringify(email)}\n`,
    );
    expect(accounting.missingEvents).toEqual([]);
    expect(accounting.events).toBe(sent.length);
    expect(accounting.deliveries).toBe(sent.length);
    expect(accounting.fired).toBe(sent.length);
    expect(accounting.delivered).toBe(sent.length);
    expect(accounting.duplicateAttribution).toBe(0);
    // Every response reached the provider; a send cut off by the kill may be repeated, but only
    // ever with the same Idempotency-Key (the provider dedupes on it).
    expect(accounting.providerDistinct).toBe(hooks.length);
    expect(accounting.providerUnknown).toBe(0);
    // SMTP cannot deduplicate: no message is ever sent twice. A send the kill cut off is settled
    // `uncertain` and not repeated: counted (and reported above), never silently lost.
    expect(email.repeats).toBe(0);
    expect(email.unknown).toBe(0);
    expect(email.rows).toBe(mails.length);
    expect(email.sent + email.uncertain).toBe(mails.length);
    expect(email.sentNotReceived).toBe(0);
    expect(email.received).toBe(email.sent + email.uncertainReceived);
  });
});
