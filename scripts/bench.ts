/**
 * `npm run bench [-- name ... [--option value ...]]`: runs scripts/bench/<name>.bench.ts (each
 * exports `run(options)`), or every benchmark when no name is given. Everything from the first
 * `--` argument on is handed to each benchmark, which parses its own options
 * (`npm run bench -- throughput --customers 200`). Figures are printed and written to .kairos/bench/.
 */
import fs from 'node:fs';
import path from 'node:path';

type Bench = { run: (options: string[]) => Promise<void> };

async function main(): Promise<void> {
  const dir = path.join(__dirname, 'bench');
  const available = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
  const args = process.argv.slice(2);
  const firstOption = args.findIndex((a) => a.startsWith('--'));
  const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
  const options = firstOption === -1 ? [] : args.slice(firstOption);
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${available.join(', ')}`);
  }
  for (const name of wanted.length ? wanted : available) {
    process.stdout.write(`\n=== bench: ${name} ===\n`);
    const bench = (await import(path.join(dir, `${name}.bench.ts`))) as Bench;
    await bench.run(options);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
