// One timer per journey, at the earliest instant anything is due (matcher deadline, response,
// escalation SLA): re-armed only when something earlier comes up.
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import { iso } from './journey-helpers';

export class Wakeup {
  private at: number | null = null;
  private scope: CancellationScope | null = null;
  private rang = false;

  /** Makes sure the journey wakes up by `at` (a later timer is replaced, an earlier one kept). */
  arm(at: number): void {
    if (this.at !== null && this.at <= at) return;
    this.scope?.cancel();
    const scope = new CancellationScope();
    this.scope = scope;
    this.at = at;
    scope
      .run(() => sleep(Math.max(1, at - Date.now()), { summary: `journey wakeup at ${iso(at)}` }))
      .then(
        () => {
          if (this.scope !== scope) return;
          this.scope = null;
          this.at = null;
          this.rang = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Whether the timer fired since the last call (and forgets it). */
  take(): boolean {
    const rang = this.rang;
    this.rang = false;
    return rang;
  }

  get fired(): boolean {
    return this.rang;
  }
}
