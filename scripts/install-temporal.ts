import { resolveTemporalBinary, binaryVersion } from './support/temporal-binaries';

// `npm run temporal:install`: resolve (installing if needed) both Temporal binaries and print them.
for (const kind of ['cli', 'testServer'] as const) {
  const resolved = resolveTemporalBinary(kind);
  if (resolved.kind === 'path') {
    console.log(
      `${kind}: ${resolved.path} (${resolved.source}) ${kind === 'cli' ? binaryVersion(resolved.path) : ''}`,
    );
  } else {
    console.log(`${kind}: not found locally; tried ${resolved.tried.join('; ')}`);
    process.exitCode = 1;
  }
}
