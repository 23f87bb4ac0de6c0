// `npm run build` runs this compiled: it writes the prebuilt bundle where the compiled worker looks.
import { DEFAULT_WORKFLOW_BUNDLE } from './config';
import { writeWorkflowBundle } from './workflow-bundle';

const outFile = process.argv[2] ?? DEFAULT_WORKFLOW_BUNDLE;
writeWorkflowBundle(outFile).then(
  ({ bytes }) => process.stdout.write(`workflow bundle: ${outFile} (${Math.round(bytes / 1024)} KiB)\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
