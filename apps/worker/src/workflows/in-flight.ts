// Sends and escalation writes run concurrently with the loop, which keeps taking events: each
// is tracked, and its outcome is applied by the loop (in completion order, deterministic on replay).
export class InFlight {
  private running = 0;
  private readonly outcomes: (() => void)[] = [];

  /** Starts tracking `work`; `done` or `failed` runs in the loop once it settles. */
  track<T>(work: Promise<T>, done: (result: T) => void, failed: (err: unknown) => void): void {
    this.running += 1;
    work.then(
      (result) => this.settle(() => done(result)),
      (err: unknown) => this.settle(() => failed(err)),
    );
  }

  private settle(apply: () => void): void {
    this.running -= 1;
    this.outcomes.push(apply);
  }

  /** Whether an outcome waits to be applied (wakes the loop). */
  get settled(): boolean {
    return this.outcomes.length > 0;
  }

  /** Whether nothing runs and nothing waits: what continue-as-new waits for. */
  get idle(): boolean {
    return this.running === 0 && this.outcomes.length === 0;
  }

  /** Applies the outcomes in the order the work settled. */
  apply(): void {
    for (const outcome of this.outcomes.splice(0)) outcome();
  }
}
