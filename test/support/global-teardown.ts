type Shared = { refs: number; stop: () => Promise<void> };
const g = globalThis as typeof globalThis & { __kairosTestDb?: Shared };

export default async function globalTeardown(): Promise<void> {
  const shared = g.__kairosTestDb;
  if (!shared) return;
  shared.refs -= 1;
  if (shared.refs > 0) return;
  g.__kairosTestDb = undefined;
  await shared.stop();
}
