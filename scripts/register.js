// Runs TypeScript sources directly (swc, with decorator metadata for NestJS) using the strict
// base compiler options; the root tsconfig.json is a solution file without compilerOptions.
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
