/** What every phase of the throughput bench works with, and the costs it reads around a phase. */
import type http from 'node:http';
import type { Client } from '@temporalio/client';
import type { KairosStack } from './kairos-stack';
import { commandLine, cpuMs, rssBytes } from './proc-stats';
import type { WebhookSink } from './webhook-sink';

export type ThroughputOptions = {
  customers: number;
  batch: number;
  sample: number;
  latencyEvents: number;
  latencyRate: number;
};

export type BenchContext = {
  client: Client;
  namespace: string;
  sink: WebhookSink;
  stack: KairosStack;
  agent: http.Agent;
  options: ThroughputOptions;
};

/** Sink paths: Kairos' webhook channel and the minimal journey's activity. */
export const KAIROS_PATH = '/kairos';
export const MINIMAL_PATH = '/minimal';
/** In flight at once, for the raw probe and the minimal journey's client. */
export const IN_FLIGHT = 32;

/** How long a phase of n messages may take before it is reported incomplete (2.5/s at worst). */
export const phaseTimeoutMs = (n: number): number => 60_000 + n * 400;

export type CpuSnapshot = Record<'worker' | 'gateway' | 'temporal' | 'postgres' | 'bench', number>;

export function cpuSnapshot(stack: KairosStack): CpuSnapshot {
  const postgres = stack
    .processes()
    .filter((pid) => /(^|\/)postgres\b/.test(commandLine(pid)))
    .reduce((n, pid) => n + cpuMs(pid), 0);
  const self = process.cpuUsage();
  return {
    worker: cpuMs(stack.pids.worker),
    gateway: cpuMs(stack.pids.gateway),
    temporal: cpuMs(stack.pids.temporal),
    postgres,
    bench: (self.user + self.system) / 1000,
  };
}

/** CPU ms per message of each process between two snapshots. */
export function cpuPerEvent(before: CpuSnapshot, after: CpuSnapshot, n: number): CpuSnapshot {
  const per = (k: keyof CpuSnapshot): number => Math.round(((after[k] - before[k]) / n) * 100) / 100;
  return {
    worker: per('worker'),
    gateway: per('gateway'),
    temporal: per('temporal'),
    postgres: per('postgres'),
    bench: per('bench'),
  };
}

export const workerRss = (stack: KairosStack): number => rssBytes(stack.pids.worker);
