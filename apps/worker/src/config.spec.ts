import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_WORKFLOW_BUNDLE, loadWorkerConfig } from './config';

const DATABASE_URL = 'postgres://kairos:kairos@127.0.0.1:5432/kairos';

describe('loadWorkerConfig: the workflow bundle', () => {
  it('bundles at start when run from the sources, which have no prebuilt bundle beside them', () => {
    expect(fs.existsSync(DEFAULT_WORKFLOW_BUNDLE)).toBe(false);
    expect(loadWorkerConfig({ DATABASE_URL }).workflowBundle).toBeUndefined();
  });

  it('loads the bundle KAIROS_WORKFLOW_BUNDLE names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-bundle-'));
    try {
      const file = path.join(dir, 'workflows.bundle.js');
      fs.writeFileSync(file, '// bundle');
      expect(loadWorkerConfig({ DATABASE_URL, KAIROS_WORKFLOW_BUNDLE: file }).workflowBundle).toBe(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a KAIROS_WORKFLOW_BUNDLE that does not exist, naming the key and the fix', () => {
    const missing = path.join(os.tmpdir(), `kairos-no-bundle-${process.pid}.js`);
    expect(() => loadWorkerConfig({ DATABASE_URL, KAIROS_WORKFLOW_BUNDLE: missing })).toThrow(
      /KAIROS_WORKFLOW_BUNDLE: no such file: run `npm run build`/,
    );
  });

  it('finds the example triggers through the @kairos/triggers package', () => {
    const dir = loadWorkerConfig({ DATABASE_URL }).triggersDir;
    expect(fs.existsSync(path.join(dir, 'policy.json'))).toBe(true);
  });
});
