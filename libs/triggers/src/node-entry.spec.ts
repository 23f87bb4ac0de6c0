// The Node-only entry must resolve by package name (exports map + typesVersions), and the
// sandbox entry must not pull in Node modules.
import { loadTriggerDir } from '@kairos/triggers/node';
import * as api from '@kairos/triggers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('package entry points', () => {
  it('resolves @kairos/triggers/node to the Node-side loader', () => {
    expect(require.resolve('@kairos/triggers/node')).toMatch(/libs[/\\]triggers[/\\]src[/\\]node\.ts$/);
    expect(typeof loadTriggerDir).toBe('function');
  });

  it('exposes the sandbox API from @kairos/triggers without the loader', () => {
    expect(typeof api.createEngine).toBe('function');
    expect('loadTriggerDir' in api).toBe(false);
  });

  it('keeps every module reachable from src/index.ts free of Node imports', () => {
    const seen: Record<string, true> = {};
    const visit = (file: string) => {
      if (seen[file]) return;
      seen[file] = true;
      const text = readFileSync(join(__dirname, `${file}.ts`), 'utf8');
      expect({ file, node: /from '(node:|fs|path|crypto)/.test(text) }).toEqual({ file, node: false });
      for (const m of text.matchAll(/from '\.\/([\w.-]+)'/g)) visit(m[1] as string);
    };
    visit('index');
    expect(Object.keys(seen)).toEqual(
      expect.arrayContaining(['index', 'engine', 'compile', 'trigger.schema']),
    );
  });
});
