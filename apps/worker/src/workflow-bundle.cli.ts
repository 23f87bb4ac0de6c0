// `npm run build` runs this compiled: it writes the prebuilt bundle where the compiled worker looks,
// with the definitions of KAIROS_TRIGGERS_DIR compiled in (a worker whose definitions are not all
// in it bundles at start instead).
import { toDefinitionsVersion } from './activities';
import { DEFAULT_WORKFLOW_BUNDLE, loadBundleConfig } from './config';
import { registryOf } from './definitions/definitions-registry';
import { writeWorkflowBundle } from './workflow-bundle';
import { loadDefinitionsFromDir } from './worker';

const outFile = process.argv[2] ?? DEFAULT_WORKFLOW_BUNDLE;
const registry = registryOf(toDefinitionsVersion(loadDefinitionsFromDir(loadBundleConfig().triggersDir)));
writeWorkflowBundle(outFile, registry).then(
  ({ bytes }) => process.stdout.write(`workflow bundle: ${outFile} (${Math.round(bytes / 1024)} KiB)\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
