// `npm run triggers -- check <file-or-dir>`
// `npm run triggers -- replay --triggers <file-or-dir> --events <events.jsonl> [--config <engine.json>] [--until <ms|ISO>]
//   [--profiles <profiles.jsonl>] [--timezone <IANA zone>] [--from <ms|ISO>]`
import { readFileSync } from 'node:fs';
import { parseEventsJsonl, parseTime, readConfigFile, runCheck, runReplay } from './cli-commands';
import { engineConfigJsonSchema, policyJsonSchema, triggerJsonSchema } from './json-schema';
import { loadTriggers } from './load-dir';
import { BACKTEST_USAGE, runBacktestCommand } from './cli-backtest';
import { parseProfilesJsonl, type ReplayCalendar } from './replay-profiles';

const USAGE = `usage:
  npm run triggers -- check <file-or-dir>
  npm run triggers -- schema trigger|policy|config     (JSON Schema for editors)
${BACKTEST_USAGE}
  npm run triggers -- replay --triggers <file-or-dir> --events <events.jsonl> [--config <engine.json>] [--until <ms|ISO>]
      [--profiles <profiles.jsonl>] [--timezone <IANA zone>] [--from <ms|ISO>]   (date and schedule triggers)`;

function flags(args: string[]): { values: Record<string, string>; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) {
      errors.push(`unexpected argument "${a}"`);
      continue;
    }
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) errors.push(`${a} needs a value`);
    else values[a.slice(2)] = v;
    i++;
  }
  return { values, errors };
}

/** --profiles, --timezone, --from: what date and schedule triggers read (undefined when none is given). */
function readCalendarFlags(values: Record<string, string>, errors: string[]): ReplayCalendar | undefined {
  if (values.profiles === undefined && values.timezone === undefined && values.from === undefined)
    return undefined;
  const calendar: ReplayCalendar = { profiles: {} };
  if (values.profiles !== undefined) {
    const parsed = parseProfilesJsonl(readFileSync(values.profiles, 'utf8'));
    errors.push(...parsed.errors.map((e) => `${values.profiles}: ${e}`));
    calendar.profiles = parsed.profiles;
  }
  if (values.timezone !== undefined) calendar.timezone = values.timezone;
  if (values.from !== undefined) {
    const f = parseTime(values.from);
    if (f === null)
      errors.push(`--from "${values.from}" must be epoch milliseconds or an ISO-8601 date-time`);
    else calendar.from = f;
  }
  return calendar;
}

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'check') {
    if (rest.length !== 1) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const r = runCheck(rest[0] as string);
    for (const l of r.stdout) process.stdout.write(`${l}\n`);
    for (const l of r.stderr) process.stderr.write(`${l}\n`);
    return r.code;
  }
  if (cmd === 'schema') {
    const which = rest[0];
    const schema =
      which === 'trigger'
        ? triggerJsonSchema()
        : which === 'policy'
          ? policyJsonSchema()
          : which === 'config'
            ? engineConfigJsonSchema()
            : null;
    if (schema === null || rest.length !== 1) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    return 0;
  }
  if (cmd === 'replay') {
    const { values, errors } = flags(rest);
    for (const k of Object.keys(values))
      if (!['triggers', 'events', 'config', 'until', 'profiles', 'timezone', 'from'].includes(k))
        errors.push(`unknown option --${k}`);
    if (!values.triggers) errors.push('--triggers <file-or-dir> is required');
    if (!values.events) errors.push('--events <events.jsonl> is required');
    let config;
    if (values.config) {
      const c = readConfigFile(values.config);
      errors.push(...c.errors);
      config = c.config;
    }
    let until: number | undefined;
    if (values.until !== undefined) {
      const u = parseTime(values.until);
      if (u === null)
        errors.push(`--until "${values.until}" must be epoch milliseconds or an ISO-8601 date-time`);
      else until = u;
    }
    const calendar = readCalendarFlags(values, errors);
    if (errors.length > 0) {
      for (const e of errors) process.stderr.write(`${e}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const loaded = loadTriggers(values.triggers as string, config);
    if (loaded.errors.length > 0) {
      for (const e of loaded.errors)
        process.stderr.write(`${[e.file, e.path, e.message].filter((x) => x !== '').join(': ')}\n`);
      return 1;
    }
    const parsed = parseEventsJsonl(readFileSync(values.events as string, 'utf8'));
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) process.stderr.write(`${values.events}: ${e}\n`);
      return 1;
    }
    for (const line of runReplay(loaded.triggers, parsed.events, config, until, calendar))
      process.stdout.write(`${JSON.stringify(line)}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

if (process.argv[2] === 'backtest')
  void runBacktestCommand(process.argv.slice(3)).then((code) => (process.exitCode = code));
else process.exitCode = main(process.argv.slice(2));
