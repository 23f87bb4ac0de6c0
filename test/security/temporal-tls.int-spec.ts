import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { customerWorkflowId } from '@kairos/contracts';
import { loadGatewayConfig } from '../../apps/gateway/src/config';
import { loadWorkerConfig } from '../../apps/worker/src/config';
import { http, startTestGateway, startTlsProxy, TLS_FIXTURES, type TlsProxy } from '@kairos/testing';
import { createTimeSkippingEnv, testDatabaseUrl } from '../support/temporal-env';

/**
 * Temporal behind mTLS, as a production cluster or Temporal Cloud is: a TLS front that demands a
 * client certificate signed by the test CA, on a real time-skipping server. Both apps read the
 * connection from the same TEMPORAL_TLS_* variables through their config modules.
 */
describe('Temporal over mTLS (gateway and worker config)', () => {
  let env: TestWorkflowEnvironment;
  let proxy: TlsProxy;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    proxy = await startTlsProxy({
      target: env.address,
      cert: TLS_FIXTURES.serverCert,
      key: TLS_FIXTURES.serverKey,
      clientCa: TLS_FIXTURES.caCert,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await env?.teardown();
  });

  const tlsEnv = (client: { cert: string; key: string }) => ({
    DATABASE_URL: testDatabaseUrl(),
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: client.key,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: TLS_FIXTURES.caCert,
    // The proxy listens on 127.0.0.1; its certificate names the cluster.
    TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
  });
  const trusted = { cert: TLS_FIXTURES.clientCert, key: TLS_FIXTURES.clientKey };
  const rogue = { cert: TLS_FIXTURES.rogueClientCert, key: TLS_FIXTURES.rogueClientKey };

  async function gatewayWith(client: { cert: string; key: string }) {
    const config = loadGatewayConfig(tlsEnv(client));
    return startTestGateway({
      databaseUrl: config.databaseUrl,
      temporalAddress: config.temporalAddress,
      temporalConnection: config.temporalConnection,
      temporalTimeoutMs: 3_000,
    });
  }

  it('the gateway hands an event to Temporal through mTLS with the certificate the CA signed', async () => {
    const gw = await gatewayWith(trusted);
    try {
      const customerId = `tls_${randomUUID().slice(0, 8)}`;
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: await gw.key(['events:write']),
        body: { id: 'e1', customerId, name: 'cart.updated', properties: { cart_value: 10 } },
      });
      expect([res.status, res.body?.status]).toEqual([202, 'accepted']);
      const described = await env.client.workflow.getHandle(customerWorkflowId(customerId)).describe();
      expect(described.workflowId).toBe(customerWorkflowId(customerId));
      expect(proxy.accepted).toContain('kairos-client');
    } finally {
      await gw.close();
    }
  });

  it('a client certificate the CA did not sign is refused at the handshake: the event gets 503', async () => {
    const refusedBefore = proxy.refusedCount();
    const gw = await gatewayWith(rogue);
    try {
      const customerId = `tls_${randomUUID().slice(0, 8)}`;
      const res = await http(gw.url, 'POST', '/v1/events', {
        key: await gw.key(['events:write']),
        body: { id: 'e1', customerId, name: 'cart.updated' },
      });
      expect(res.status).toBe(503);
      expect(res.body.type).toMatch(/temporal-unavailable$/);
      expect(proxy.refusedCount()).toBeGreaterThan(refusedBefore);
      await expect(
        env.client.workflow.getHandle(customerWorkflowId(customerId)).describe(),
      ).rejects.toThrow();
    } finally {
      await gw.close();
    }
  });

  it('the worker connection (Rust core) connects through mTLS with the same variables', async () => {
    const config = loadWorkerConfig(tlsEnv(trusted));
    const connection = await NativeConnection.connect({
      address: config.temporalAddress,
      ...config.temporalConnection,
    });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.capabilities).toBeDefined();
    } finally {
      await connection.close();
    }
  });
});
