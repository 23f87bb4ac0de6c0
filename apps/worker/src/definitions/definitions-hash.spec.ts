import { createHash } from 'node:crypto';
import path from 'node:path';
import { hashDefinitionSet, toDefinitionSet, type DefinitionSet } from '@kairos/triggers';
import { loadTriggerDir } from '@kairos/triggers/node';
import { KIT_TRIGGERS, kitDefinitions } from '@kairos/testing';
import { toDefinitionsVersion } from '../activities';

const EXAMPLES = path.join(path.dirname(require.resolve('@kairos/triggers/package.json')), 'examples');

/** The hash as Node computes it: journeys already carry hashes made this way, so it must not change. */
const nodeHash = (set: DefinitionSet): string =>
  createHash('sha256').update(JSON.stringify(set)).digest('hex').slice(0, 16);

// The gateway hashes its folder with @kairos/triggers and compares with the worker's hash: both
// must name the same set by the same hash, or /health/ready would report a false mismatch. The
// pure SHA-256 of @kairos/triggers must also give the hashes recorded by earlier workers.
describe('definitions hash', () => {
  it('is SHA-256 of the set, distinct for a disabled trigger and a changed version', () => {
    const cases = [
      kitDefinitions(),
      kitDefinitions({ triggers: KIT_TRIGGERS.map((t, i) => (i === 0 ? { ...t, enabled: false } : t)) }),
      kitDefinitions({
        triggers: KIT_TRIGGERS.map((t, i) => (i === 0 ? { ...t, version: t.version + 1 } : t)),
      }),
    ];
    const hashes = cases.map((loaded) => {
      const worker = toDefinitionsVersion(loaded);
      expect(worker.hash).toBe(nodeHash(toDefinitionSet(loaded)));
      expect(toDefinitionSet(loaded)).toEqual(worker.set);
      return worker.hash;
    });
    expect(new Set(hashes).size).toBe(3);
  });

  it('on the shipped example folder, as both apps load it', () => {
    const dir = loadTriggerDir(EXAMPLES);
    expect(dir.errors).toEqual([]);
    const loaded = { triggers: dir.triggers, policy: dir.policy, templates: dir.templates };
    const set = toDefinitionSet(loaded);
    expect(hashDefinitionSet(set)).toBe(nodeHash(set));
    expect(toDefinitionsVersion(loaded).hash).toBe(nodeHash(set));
  });
});
