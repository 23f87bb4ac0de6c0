import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { createPool, DefinitionVersionsRepository } from '@kairos/persistence';
import { KIT_TRIGGERS, kitDefinitions } from '@kairos/testing';
import { testDatabaseUrl } from '../../../../test/support/temporal-env';
import { toDefinitionsVersion } from '../activities';
import { writeWorkflowBundle } from '../workflow-bundle';
import { bundleDefinitionsFile, loadDefinitionsRegistry, registryOf } from './definitions-registry';
import { loadWorkflowCode } from './workflow-code';

/** The kit's definitions with one trigger at a new version: another content hash. */
const bumped = () =>
  toDefinitionsVersion(
    kitDefinitions({
      triggers: KIT_TRIGGERS.map((t, i) => (i === 0 ? { ...t, version: t.version + 1 } : t)),
    }),
  );

describe('definition versions and the workflow bundle (real Postgres, webpack)', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(testDatabaseUrl());
  });
  afterAll(async () => {
    await pool.end();
  });

  it('a worker keeps every version it ever ran: a restart with new files still bundles the old one', async () => {
    const repo = new DefinitionVersionsRepository(pool);
    const before = toDefinitionsVersion(kitDefinitions());
    const after = bumped();
    expect(after.hash).not.toBe(before.hash);
    await loadDefinitionsRegistry(repo, before, () => undefined);
    const registry = await loadDefinitionsRegistry(repo, after, () => undefined);
    expect(registry.versions[before.hash]).toEqual(before.set);
    expect(registry.versions[after.hash]).toEqual(after.set);
  });

  it('uses a prebuilt bundle only when it holds every known version, else bundles at start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bundle-'));
    const file = path.join(dir, 'workflows.bundle.js');
    const current = toDefinitionsVersion(kitDefinitions());
    await writeWorkflowBundle(file, registryOf(current));
    expect(JSON.parse(fs.readFileSync(bundleDefinitionsFile(file), 'utf8'))).toEqual({
      hashes: [current.hash],
    });

    const held = await loadWorkflowCode({ workflowBundlePath: file }, registryOf(current));
    expect(held.workflowBundle.code).toBe(fs.readFileSync(file, 'utf8'));
    expect(held.buildId).toMatch(/^kairos-[0-9a-f]{16}$/);

    const older = bumped();
    const rebuilt = await loadWorkflowCode({ workflowBundlePath: file }, registryOf(current, older));
    expect(rebuilt.workflowBundle.code).not.toBe(held.workflowBundle.code);
    expect(rebuilt.workflowBundle.code).toContain(older.hash);
    expect(rebuilt.buildId).not.toBe(held.buildId);
  });
});
