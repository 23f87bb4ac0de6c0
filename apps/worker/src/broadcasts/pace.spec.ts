import { mapBounded, TokenBucket } from './pace';

describe('broadcast pacing', () => {
  it('mapBounded keeps at most `concurrency` calls in flight and returns results in item order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (x) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
  });

  it('TokenBucket lets a 100 ms burst through, then spaces callers at the rate', async () => {
    let now = 1_000_000;
    const bucket = new TokenBucket(100, () => now); // one every 10 ms, 100 ms of credit
    const waits: number[] = [];
    const realSetTimeout = global.setTimeout;
    jest.spyOn(global, 'setTimeout').mockImplementation((fn: () => void, ms?: number) => {
      waits.push(ms ?? 0);
      return realSetTimeout(fn, 0);
    });
    for (let i = 0; i < 15; i++) await bucket.take();
    expect(waits).toEqual([10, 20, 30, 40]);
    now += 1_000; // idle for a second: the credit is capped at the burst again
    waits.length = 0;
    for (let i = 0; i < 12; i++) await bucket.take();
    expect(waits).toEqual([10]);
    jest.restoreAllMocks();
  });
});
