import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The ES module files of @cfworker/json-schema the browser loads (index.js imports the others). */
export const JSON_SCHEMA_FILES = [
  'index.js',
  'deep-compare-strict.js',
  'dereference.js',
  'format.js',
  'pointer.js',
  'types.js',
  'ucs2-length.js',
  'validate.js',
  'validator.js',
] as const;

export const VendorFileSchema = z.enum(JSON_SCHEMA_FILES, {
  message: `must be one of ${JSON_SCHEMA_FILES.join(', ')}`,
});
export type VendorFile = z.infer<typeof VendorFileSchema>;

/**
 * One file of the validator's ES module build, read from node_modules (the machine serving the
 * page may have no internet). The package's exports hide dist/esm from require: resolve its main
 * entry (dist/commonjs/index.js) and take the sibling folder.
 */
export function readJsonSchemaModule(file: VendorFile): string {
  const main = require.resolve('@cfworker/json-schema');
  const source = fs.readFileSync(path.join(path.dirname(main), '..', 'esm', file), 'utf8');
  // The source map is not served; drop the comment so browsers do not ask for it.
  return source.replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
}
