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
  ports?: string[];
};
type Compose = { services: Record<string, Service> };

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as Compose;
const devServer = JSON.parse(fs.readFileSync(path.join(ROOT, 'temporal', 'dev-server.json'), 'utf8')) as {
  searchAttributes: Record<string, string>;
};

/** The variables compose needs from the user (an .env file), with test values of the right shape. */
const USER_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'f3a9c1d2e4b5a6978812ab34cd56ef78',
  KAIROS_TRACKING_SECRET: 'ZmFrZS1idXQtbG9uZy1lbm91Z2gtdHJhY2tpbmctc2VjcmV0IQ==',
  KAIROS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:\?|:-)([^}]*))?\}/g;

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (required). */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(VARIABLE, (_m, name: string, op: string | undefined, arg: string | undefined) => {
    const given = env[name];
    if (given !== undefined && given !== '') return given;
    if (op === ':?') throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return op === ':-' ? (arg ?? '') : '';
  });
}

/** A service's environment as compose hands it to the container. */
function environmentOf(service: string, env = USER_ENV): Record<string, string> {
  return Object.fromEntries(
    Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [
      k,
      interpolate(String(v), env),
    ]),
  );
}

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
    const parsed = GatewayConfigSchema.safeParse(environmentOf('gateway'));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.HOST).toBe('0.0.0.0');
    expect(parsed.data?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('gives the worker an environment its config schema accepts', () => {
    const parsed = WorkerConfigSchema.safeParse(environmentOf('worker'));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.DATABASE_URL).toBe(
      `postgres://kairos:${USER_ENV.POSTGRES_PASSWORD}@postgres:5432/kairos`,
    );
    expect(parsed.data?.KAIROS_ENCRYPTION_KEYS?.map((k) => k.id)).toEqual(['k1']);
  });

  it('starts nothing with a placeholder secret: each one is required from the environment, without a default', () => {
    const secret = /PASSWORD|PWD|SECRET|_KEYS?$|DATABASE_URL/;
    const found: string[] = [];
    for (const [name, service] of Object.entries(compose.services))
      for (const [key, value] of Object.entries(service.environment ?? {}))
        if (secret.test(key)) {
          found.push(`${name}.${key}`);
          // Required (`:?`), or optional and empty by default (`:-}`): never a literal value.
          expect({ key: `${name}.${key}`, value: String(value).replace(VARIABLE, '') }).toEqual({
            key: `${name}.${key}`,
            value: key === 'DATABASE_URL' ? 'postgres://kairos:@postgres:5432/kairos' : '',
          });
          expect(String(value)).toMatch(/\$\{[A-Z_]+(:\?[^}]+|:-)\}/);
        }
    expect(found).toEqual(
      expect.arrayContaining([
        'postgres.POSTGRES_PASSWORD',
        'temporal.POSTGRES_PWD',
        'gateway.KAIROS_TRACKING_SECRET',
        'gateway.KAIROS_ENCRYPTION_KEYS',
        'worker.KAIROS_ENCRYPTION_KEYS',
        'gateway.KAIROS_FEEDBACK_SIGNING_SECRET',
      ]),
    );
    for (const missing of Object.keys(USER_ENV))
      expect(() => environmentOf('gateway', { ...USER_ENV, [missing]: undefined } as never)).toThrow(missing);
  });

  it("keeps Temporal's gRPC on the compose network and the Web UI on this machine only", () => {
    expect(compose.services.temporal?.ports).toBeUndefined();
    expect(compose.services.postgres?.ports).toBeUndefined();
    expect(compose.services['temporal-ui']?.ports).toEqual(['127.0.0.1:8233:8080']);
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
