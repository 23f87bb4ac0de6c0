import { parseArgs } from 'node:util';

/**
 * Whole-number options of a benchmark (`--events 100000`), each with its default; an unknown
 * option or a value that is not a positive whole number stops the run, naming the option.
 */
export function intOptions<K extends string>(argv: string[], defaults: Record<K, number>): Record<K, number> {
  const names = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
  });
  const out = { ...defaults };
  for (const name of names) {
    const given = values[name];
    if (typeof given !== 'string') continue;
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name} must be a positive whole number, not "${given}"`);
    out[name] = n;
  }
  return out;
}
