// The matcher's runtime form of a trigger set (compile.ts builds it; engine*.ts reads it).
import type { CCalendar } from './calendar-compile';
import type { LeafPred } from './pred.schema';
import type { CScore } from './score-state';

/** A projected value: scalars as is; long/unsafe strings as `#<hash>`; objects as `#o`; missing as null. */
export type V = string | number | boolean | null;

export type CPred =
  | { k: 'true' }
  | { k: 'bit'; i: number }
  | { k: 'ref'; op: 'eqRef' | 'neqRef' | 'gtRef' | 'ltRef'; left: number; as: string; right: number }
  | { k: 'and' | 'or'; a: CPred[] }
  | { k: 'not'; a: CPred }
  /** A score atom: true when the current `kairos.score` event crosses its threshold (score-state.ts). */
  | { k: 'score'; ta: number };

export type CAtom = { ta: number; name: string; where: CPred; step: number };

export type CNode =
  | { k: 'atom'; ta: number; slot: number }
  | { k: 'count'; ta: number; slot: number; atLeast: number; within: number; distinct: number }
  | { k: 'all'; of: CNode[]; within: number }
  | { k: 'any'; of: CNode[] };

export type CSlot = { ta: number; cap: number; within: number; distinct: number };

export type CStep = {
  kind: 'step' | 'absent';
  node: CNode | null;
  slots: CSlot[];
  atoms: number[];
  strict: boolean;
  maxGap: number | null;
  absentTa: number;
  forMs: number | null;
};

export type CTrigger = {
  index: number;
  id: string;
  version: number;
  priority: number;
  group: string | null;
  dropLower: boolean;
  startPolicy: 'every' | 'earliest' | 'latest';
  afterMatch: 'overlap' | 'consume' | 'pastLast';
  reentryMode: 'always' | 'once' | 'cooldown';
  cooldown: number;
  reentryScope: 'trigger' | 'key';
  maxKeys: number;
  maxPartials: number;
  correlated: boolean;
  inactivity: { ta: number; forMs: number } | null;
  /** A date or schedule pattern: fires at the instants the host arms (docs/triggers.md §3.12). */
  calendar: CCalendar | null;
  /** Score atoms with their hysteresis conditions (docs/triggers.md §3.14). */
  scores: CScore[];
  steps: CStep[];
  within: number | null;
  atoms: CAtom[];
  names: string[];
  vp: string[];
  /** Leading entries of `vp` kept in saved records. */
  storedVp: number;
  corr: number[];
  distinctVp: number[];
  refTargets: number[];
  bindingKeys: { key: string; step: number; atoms: number[] }[];
};

export type { LeafPred };

/** Per event name: the leaves to precompute, the value paths to project, the interested triggers. */
export type NameInfo = {
  name: string;
  leaves: LeafPred[];
  /** `leaves[i].path` split on dots, once. */
  leafSegs: string[][];
  leafKeys: string[];
  vp: string[];
  /** `vp[i]` split on dots, once. */
  vpSegs: string[][];
  triggers: { ti: number; atoms: number[]; vpMap: number[] }[];
};

export type CompiledSet = {
  triggers: CTrigger[];
  byName: Record<string, NameInfo>;
  names: string[];
  fingerprint: string;
};
