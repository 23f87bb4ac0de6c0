/**
 * When started by `npm start` (KAIROS_EXIT_WITH_PARENT=1), exit if the parent dies without
 * cleaning up, so no orphan keeps polling or holding ports.
 */
export function exitWithParent(): void {
  if (process.env.KAIROS_EXIT_WITH_PARENT !== '1') return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1_000).unref();
}
