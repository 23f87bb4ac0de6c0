/**
 * What a kit started, undone last-started first. Every step runs even when one fails (a failed
 * close must not leave a server running); the first failure is rethrown at the end.
 */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.unshift(step);
  }

  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0)) {
      try {
        await step();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  /** Waits for `starting`, then keeps `undo` of what it started. */
  async track<T>(starting: Promise<T>, undo: (started: T) => unknown): Promise<T> {
    const started = await starting;
    this.add(() => undo(started));
    return started;
  }

  /** Runs `start`; when it throws, undoes what it had started and rethrows. */
  async guard<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (err) {
      await this.run().catch(() => undefined);
      throw err;
    }
  }
}
