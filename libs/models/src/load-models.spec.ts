import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelJsonSchema } from './json-schema';
import { loadModelDir, modelsDirOf } from './load-models';

const EXAMPLES = join(__dirname, '..', '..', 'triggers', 'examples');

describe('model definitions', () => {
  it('loads the shipped example churn model', () => {
    const r = loadModelDir(modelsDirOf(EXAMPLES));
    expect(r.errors).toEqual([]);
    expect(r.models.map((m) => m.id)).toEqual(['churn']);
    expect(r.models[0]!.retrain).toBe('7d');
  });

  it('names the file, the path and the fix of every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kairos-models-'));
    writeFileSync(join(dir, 'broken.json'), '{ "id": ');
    writeFileSync(
      join(dir, 'buy.json'),
      JSON.stringify({
        id: 'buy',
        version: 1,
        target: { event: { kind: 'event', name: 'order.completed' }, within: '2y' },
      }),
    );
    writeFileSync(
      join(dir, 'other.json'),
      JSON.stringify({
        id: 'churn',
        version: 1,
        target: { absent: { kind: 'event', name: 'x' }, for: '30d' },
        observation: '7d',
        features: { windows: ['14d'] },
      }),
    );
    writeFileSync(
      join(dir, 'wrong-name.json'),
      JSON.stringify({
        id: 'churn',
        version: 1,
        target: { absent: { kind: 'event', name: 'x' }, for: '30d' },
      }),
    );
    const r = loadModelDir(dir);
    expect(r.models).toEqual([]);
    expect(r.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'broken.json', message: expect.stringMatching(/not valid JSON/) }),
        expect.objectContaining({ file: 'buy.json', path: expect.stringMatching(/^target/) }),
        expect.objectContaining({
          file: 'other.json',
          path: 'features.windows[0]',
          message: expect.stringMatching(/observation/),
        }),
        expect.objectContaining({
          file: 'wrong-name.json',
          path: 'id',
          message: expect.stringMatching(/rename the file to churn.json/),
        }),
      ]),
    );
  });

  it('holds no model when the folder is missing', () => {
    expect(loadModelDir('/nonexistent/models')).toEqual({ models: [], errors: [] });
  });

  // Regenerate with `npm run models -- schema > libs/models/schema/model.schema.json`.
  it('has an up-to-date checked-in JSON Schema', () => {
    const file = join(__dirname, '..', 'schema', 'model.schema.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(modelJsonSchema());
  });
});
