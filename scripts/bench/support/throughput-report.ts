/** The throughput bench's figures as markdown (bench-results/throughput.md). */
import type { Segment } from './temporal-history';
import type { CpuSnapshot } from './throughput-context';
import type { Latency, RatePhase } from './throughput-phases';

export type JourneyFigures = {
  fresh: RatePhase;
  returning: RatePhase;
  latencyNew: Latency;
  latencyReturning: Latency;
  /** Steps of the sampled journeys: first event, second event. */
  history: { first: Segment; again: Segment };
};

export type ThroughputResults = {
  at: string;
  machine: {
    cores: number;
    cpu: string;
    memoryGiB: number;
    node: string;
    loadAvg: { start: number[]; end: number[] };
  };
  temporal: { cli: string; pragmas: string[] };
  options: { customers: number; batch: number; sample: number; latencyEvents: number; latencyRate: number };
  raw: RatePhase;
  minimal: JourneyFigures;
  kairos: JourneyFigures & {
    unmatched: { first: Segment; again: Segment };
    memory: { rssBeforeMiB: number; rssAfterMiB: number; journeysCached: number; perJourneyKiB: number };
  };
};

const pct = (x: number, of: number): string => `${of > 0 ? ((100 * x) / of).toFixed(1) : '?'} %`;
const kib = (b: number): string => `${(b / 1024).toFixed(2)} KiB`;
const incomplete = (p: RatePhase): string => (p.complete ? '' : ` (INCOMPLETE: ${p.delivered} of ${p.n})`);

function rates(r: ThroughputResults): string {
  const row = (what: string, p: RatePhase): string =>
    `| ${what} | ${p.perS}${incomplete(p)} | ${pct(p.perS, r.raw.perS)} | ${p.seconds} |`;
  return [
    '| what | messages/s | share of raw | seconds |',
    '| --- | --- | --- | --- |',
    row(`raw: signal-with-start of ${r.raw.n} new workflows, 32 in flight, no worker on that queue`, r.raw),
    row(
      'minimal journey, new customers (signal-with-start, one local activity POSTs to the sink)',
      r.minimal.fresh,
    ),
    row('minimal journey, the same customers again', r.minimal.returning),
    row('Kairos, new customers: REST batch -> gateway -> journey -> webhook -> sink', r.kairos.fresh),
    row('Kairos, the same customers again', r.kairos.returning),
    '',
    `Kairos / raw: ${pct(r.kairos.fresh.perS, r.raw.perS)} new, ${pct(r.kairos.returning.perS, r.raw.perS)} returning. ` +
      `Minimal / raw: ${pct(r.minimal.fresh.perS, r.raw.perS)} new, ${pct(r.minimal.returning.perS, r.raw.perS)} returning. ` +
      `Kairos / minimal: ${pct(r.kairos.fresh.perS, r.minimal.fresh.perS)} new, ${pct(r.kairos.returning.perS, r.minimal.returning.perS)} returning.`,
  ].join('\n');
}

function latencies(r: ThroughputResults): string {
  const row = (what: string, l: Latency): string =>
    `| ${what} | ${l.p50} ms | ${l.p99} ms | ${l.n}${l.missing ? ` (${l.missing} missing)` : ''} |`;
  const ratio = (k: Latency, m: Latency): string => (m.p99 > 0 ? (k.p99 / m.p99).toFixed(2) : '?');
  return [
    '| what | p50 | p99 | samples |',
    '| --- | --- | --- | --- |',
    row('minimal signal -> local activity -> sink, new customer', r.minimal.latencyNew),
    row('minimal signal -> local activity -> sink, returning customer', r.minimal.latencyReturning),
    row('Kairos event -> message (POST /v1/events -> sink), new customer', r.kairos.latencyNew),
    row('Kairos event -> message, returning customer', r.kairos.latencyReturning),
    '',
    `Kairos p99 / minimal p99: ${ratio(r.kairos.latencyNew, r.minimal.latencyNew)} (new), ` +
      `${ratio(r.kairos.latencyReturning, r.minimal.latencyReturning)} (returning).`,
  ].join('\n');
}

function history(r: ThroughputResults): string {
  const row = (what: string, s: Segment): string => {
    const a = s.actions;
    return (
      `| ${what} | ${s.events} | ${kib(s.bytes)} | ${a.total} | ${a.workflowStarted} | ${a.signals} | ` +
      `${a.activities} | ${a.localActivityTasks} | ${a.timers} | ${a.searchAttributeUpserts} | ${a.updates + a.other} |`
    );
  };
  const journey = (f: { first: Segment; again: Segment }): string =>
    `${f.first.events + f.again.events} events, ${kib(f.first.bytes + f.again.bytes)}, ` +
    `${(f.first.actions.total + f.again.actions.total).toFixed(1)} actions`;
  return [
    '| one event | history events | history bytes | actions | wf started | signals | activities | local-activity tasks | timers | SA upserts | other |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    row('minimal, first event (new customer)', r.minimal.history.first),
    row('minimal, later event', r.minimal.history.again),
    row('Kairos, first event, answered by one webhook message', r.kairos.history.first),
    row('Kairos, later event, answered by one webhook message', r.kairos.history.again),
    row('Kairos, first event, matching nothing', r.kairos.unmatched.first),
    row('Kairos, later event, matching nothing', r.kairos.unmatched.again),
    '',
    `Per journey after two answered events: minimal ${journey(r.minimal.history)}; Kairos ${journey(r.kairos.history)}.`,
  ].join('\n');
}

function cpu(r: ThroughputResults): string {
  const row = (what: string, c: CpuSnapshot): string =>
    `| ${what} | ${c.worker} | ${c.gateway} | ${c.temporal} | ${c.postgres} | ${c.bench} |`;
  return [
    '| phase (ms of CPU per message) | Kairos worker | gateway | Temporal dev server | PostgreSQL | bench process |',
    '| --- | --- | --- | --- | --- | --- |',
    row('raw signal-with-start', r.raw.cpuMsPerEvent),
    row('minimal journey, new (its worker runs in the bench process)', r.minimal.fresh.cpuMsPerEvent),
    row('minimal journey, returning', r.minimal.returning.cpuMsPerEvent),
    row('Kairos, new', r.kairos.fresh.cpuMsPerEvent),
    row('Kairos, returning', r.kairos.returning.cpuMsPerEvent),
  ].join('\n');
}

function eventTypes(r: ThroughputResults): string {
  const line = (what: string, s: Segment): string => `- ${what} (${s.types.length}): ${s.types.join(', ')}`;
  return [
    line('minimal, first event', r.minimal.history.first),
    line('minimal, later event', r.minimal.history.again),
    line('Kairos, first event answered', r.kairos.history.first),
    line('Kairos, later event answered', r.kairos.history.again),
    line('Kairos, first event matching nothing', r.kairos.unmatched.first),
    line('Kairos, later event matching nothing', r.kairos.unmatched.again),
  ].join('\n');
}

export function throughputMarkdown(r: ThroughputResults): string {
  const m = r.kairos.memory;
  const db = (p: RatePhase): string => `${(p.sqliteBytesPerEvent / 1024).toFixed(1)} KiB`;
  return `# Throughput (\`npm run bench -- throughput\`)

Generated by [scripts/bench/throughput.bench.ts](../scripts/bench/throughput.bench.ts) on ${r.at}:
${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, load average
${r.machine.loadAvg.start.join(' / ')} at the start and ${r.machine.loadAvg.end.join(' / ')} at the end (1/5/15 min).
One process, one run, on \`npm start\`'s own stack (${r.temporal.cli}, SQLite file, pragmas:
${r.temporal.pragmas.length ? r.temporal.pragmas.map((p) => `\`${p}\``).join(', ') : 'SQLite defaults'}), ${r.options.customers} customers,
one immediate trigger answered on the webhook channel, a loopback sink counting distinct deliveries.
The CPU is shared with whatever else runs on the machine: compare ratios within one run. Each
Kairos phase ran right after its minimal counterpart, so both of a pair met the machine in about
the same state.

## Rates

${rates(r)}

## Latency (${r.options.latencyEvents} events at ${r.options.latencyRate}/s, open loop)

${latencies(r)}

Timed in this process from just before the request (signal-with-start for the minimal journey,
POST /v1/events for Kairos) to the arrival of the delivery's first POST at the sink: the
minimal roundtrip's "row" is the sink receiving the activity's POST. New customers first,
then the same customers once more.${r.options.latencyEvents < 100 ? ` With ${r.options.latencyEvents} samples, p99 is the slowest one.` : ''}

## Temporal history and actions per event (mean of ${r.options.sample} sampled workflows)

${history(r)}

Actions are what Temporal Cloud bills, counted from the history events: a workflow started
(also by continue-as-new), a signal received or sent, an activity attempt, all local
activities of one workflow task as one, a timer, a search attribute upsert, an update.
Queries and heartbeats are billed too but leave no history event; the timed phases make none.

History event types of one sampled workflow:

${eventTypes(r)}

## CPU per message

${cpu(r)}

From /proc/<pid>/stat (utime + stime) of each process of the stack before and after the phase,
divided by the messages of the phase; PostgreSQL sums its backends alive at both reads.

## Memory per cached journey

Kairos worker RSS ${m.rssBeforeMiB} MiB with the ${r.options.sample} journeys of the events matching nothing in
its workflow cache (run first, so one-off start-up costs are paid), ${m.rssAfterMiB} MiB once
${m.journeysCached} more journeys joined them (the cache holds KAIROS_MAX_CACHED_WORKFLOWS = 1000):
(after - before) / ${m.journeysCached} = **${m.perJourneyKiB} KiB per cached journey** (RSS, so heap
growth and allocator slack count; one read each, whatever the garbage collector did last).

## Temporal database growth

SQLite file + WAL per message: raw ${db(r.raw)}, minimal new ${db(r.minimal.fresh)}, minimal returning
${db(r.minimal.returning)}, Kairos new ${db(r.kairos.fresh)}, Kairos returning ${db(r.kairos.returning)}
(file sizes, so pages reused after a checkpoint count as nothing).

Rerun: \`npm run bench -- throughput [--customers N] [--batch N] [--sample N] [--latency-events N] [--latency-rate N] [--out file]\`.
`;
}
