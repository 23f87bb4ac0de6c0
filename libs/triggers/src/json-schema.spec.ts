import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineConfigJsonSchema, policyJsonSchema, triggerJsonSchema } from './json-schema';

// The checked-in schemas are what editors load; regenerate with
// `npm run triggers -- schema trigger > libs/triggers/schema/trigger.schema.json` (and policy, config).
describe('checked-in JSON Schemas', () => {
  it.each([
    ['trigger', triggerJsonSchema],
    ['policy', policyJsonSchema],
    ['config', engineConfigJsonSchema],
  ] as const)('%s.schema.json is up to date', (name, make) => {
    const file = join(__dirname, '..', 'schema', `${name}.schema.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(make());
  });
});
