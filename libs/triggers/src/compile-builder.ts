// Per trigger under compilation: atoms, value paths, predicates split into per-name leaves.
import type { CAtom, CPred, NameInfo } from './compile-types';
import { isLeafPred, type LeafPred, type Pred } from './pred.schema';
import { SCORE_EVENT, scoreConditions, type ScorePattern } from './score.schema';
import type { CScore } from './score-state';
import type { Atom } from './trigger.schema';

/** Numbers one trigger's atoms and value paths, and registers its predicate leaves per event name. */
export class Builder {
  atoms: CAtom[] = [];
  vp: string[] = [];
  scores: CScore[] = [];
  constructor(
    private readonly byName: Record<string, NameInfo>,
    private readonly ti: number,
  ) {}

  vpIndex(path: string): number {
    let i = this.vp.indexOf(path);
    if (i === -1) {
      i = this.vp.length;
      this.vp.push(path);
    }
    return i;
  }

  info(name: string): NameInfo {
    let info = this.byName[name];
    if (!info) {
      info = { name, leaves: [], leafSegs: [], leafKeys: [], vp: [], vpSegs: [], triggers: [] };
      this.byName[name] = info;
    }
    return info;
  }

  pred(p: Pred | undefined, name: string): CPred {
    if (p === undefined) return { k: 'true' };
    if (isLeafPred(p)) return this.leaf(p, name);
    switch (p.op) {
      case 'and':
      case 'or':
        return { k: p.op, a: p.args.map((a) => this.pred(a, name)) };
      case 'not':
        return { k: 'not', a: this.pred(p.arg, name) };
      case 'eqRef':
      case 'neqRef':
      case 'gtRef':
      case 'ltRef':
        return {
          k: 'ref',
          op: p.op,
          left: this.vpIndex(p.path),
          as: p.ref.as,
          right: this.vpIndex(p.ref.path),
        };
    }
  }

  /** A leaf becomes a bit of its event name, shared by every equal leaf on that name. */
  private leaf(p: LeafPred, name: string): CPred {
    const info = this.info(name);
    const key = JSON.stringify(p);
    let i = info.leafKeys.indexOf(key);
    if (i === -1) {
      i = info.leaves.length;
      info.leaves.push(p);
      info.leafSegs.push(p.path.split('.'));
      info.leafKeys.push(key);
    }
    return { k: 'bit', i };
  }

  atom(a: Atom, step: number): number {
    const ta = this.atoms.length;
    this.info(a.name);
    this.atoms.push({ ta, name: a.name, where: { k: 'true' }, step });
    (this.atoms[ta] as CAtom).where = this.pred(a.where, a.name);
    return ta;
  }

  /** A score pattern: an atom on `kairos.score` that qualifies only when the score crosses. */
  scoreAtom(s: ScorePattern, step: number): number {
    const ta = this.atom({ kind: 'event', name: SCORE_EVENT }, step);
    const c = scoreConditions(s);
    this.scores.push({ ta, fire: this.pred(c.fire, SCORE_EVENT), rearm: this.pred(c.rearm, SCORE_EVENT) });
    (this.atoms[ta] as CAtom).where = { k: 'score', ta };
    return ta;
  }
}
