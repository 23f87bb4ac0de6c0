import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { GatewayConfigSchema } from '../apps/gateway/src/config';
import { WorkerConfigSchema } from '../apps/worker/src/config';

const ROOT = path.resolve(__dirname, '..');

type Service = {
  environment?: Record<string, string>;
  command?: string[] | string;
  build?: unknown;
  image?: string;
};
type Compose = { services: Record<string, Service> };

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as Compose;
const devServer = JSON.parse(fs.readFileSync(path.join(ROOT, 'temporal', 'dev-server.json'), 'utf8')) as {
  searchAttributes: Record<string, string>;
};

describe('docker-compose.yml', () => {
  it('has Postgres, Temporal on Postgres, the Web UI, and gateway and worker built from the Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['gateway', 'postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/auto-setup:/);
    expect(compose.services.temporal?.environment?.DB).toBe('postgres12');
    expect(compose.services.gateway?.build).toBe('.');
    expect(compose.services.worker?.build).toBe('.');
    expect(fs.existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('gives the gateway an environment its config schema accepts, listening on all interfaces', () => {
    const parsed = GatewayConfigSchema.safeParse(compose.services.gateway?.environment);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.HOST).toBe('0.0.0.0');
    expect(parsed.data?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('gives the worker an environment its config schema accepts', () => {
    const parsed = WorkerConfigSchema.safeParse(compose.services.worker?.environment);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.DATABASE_URL).toContain('@postgres:5432/');
  });

  it('registers exactly the search attributes the dev server registers', () => {
    const command = [compose.services['temporal-setup']?.command].flat().join(' ');
    const registered = Object.fromEntries(
      [...command.matchAll(/--name (\w+) --type (\w+)/g)].map((m) => [m[1], m[2]]),
    );
    expect(registered).toEqual(devServer.searchAttributes);
  });

  it('rejects an environment without DATABASE_URL, naming the key', () => {
    const parsed = WorkerConfigSchema.safeParse({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('DATABASE_URL');
  });
});
