import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../../../test/support/temporal-env';
import { http, startTestGateway, type RunningGateway } from '@kairos/testing';
import { DatabaseService } from './database/database.service';
import { MetricsService } from './metrics/metrics.service';
import { JourneyClient } from './temporal/journey.client';
import { TemporalService } from './temporal/temporal.service';
import { TriggerCatalogService } from './triggers/trigger-catalog.service';

/** The value of one sample of a Prometheus exposition, 0 when absent. */
function sample(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('the gateway assembled from feature modules (real Postgres, real Temporal test server)', () => {
  let env: TestWorkflowEnvironment;
  let gw: RunningGateway;
  let admin: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    gw = await startTestGateway({ databaseUrl: testDatabaseUrl(), temporalAddress: env.address });
    admin = await gw.key(['admin']);
  });

  afterAll(async () => {
    await gw?.close();
    await env?.teardown();
  });

  it.each([
    ['MetricsService', MetricsService],
    ['DatabaseService', DatabaseService],
    ['TemporalService', TemporalService],
    ['JourneyClient', JourneyClient],
    ['TriggerCatalogService', TriggerCatalogService],
  ])('holds one %s, shared by every feature', (_name, token) => {
    expect(gw.app.get<unknown, unknown[]>(token, { each: true })).toHaveLength(1);
  });

  it('counts a problem answered in one feature on the /metrics of another', async () => {
    const line = 'kairos_gateway_errors_total{kind="validation"}';
    const before = sample((await http(gw.url, 'GET', '/metrics')).text, line);
    const res = await http(gw.url, 'POST', '/v1/events', { key: admin, body: { name: 'cart.updated' } });
    expect(res.status).toBe(400);
    const after = sample((await http(gw.url, 'GET', '/metrics')).text, line);
    expect(after - before).toBe(1);
  });

  it.each([
    ['PUT', '/v1/customers/bad%20id', { email: 42 }],
    ['POST', '/v1/customers/bad%20id/exit', { reason: 42, extra: true }],
  ])('answers %s %s with a bad id and a bad body by naming the id', async (method, path, body) => {
    const res = await http(gw.url, method, path, { key: admin, body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'https://kairos.dev/problems/validation',
      title: 'Customer id is invalid',
      status: 400,
      detail: '1 field(s) failed validation: customerId',
      errors: [{ path: 'customerId', message: expect.any(String) }],
    });
  });
});
