// What the journey feeds to the matcher for score patterns (docs/triggers.md §3.14).
import { propertyKeysRead } from './backtest-prepare';
import { trig } from './engine.fixtures';
import { scoreEvent, scoreModels } from './score-feed';
import { triggerEventNames } from './trigger-set';

describe('scoreModels', () => {
  it('lists the models read by enabled triggers, wherever the score atom sits, sorted and once', () => {
    const s = (model: string) => ({ kind: 'score', model, gte: 0.7 });
    const triggers = [
      trig({ id: 'a', pattern: s('churn') }),
      trig({
        id: 'b',
        pattern: {
          kind: 'seq',
          steps: [
            { kind: 'step', node: { kind: 'event', name: 'x' } },
            { kind: 'step', node: { kind: 'any', of: [s('purchase'), { kind: 'event', name: 'y' }] } },
          ],
        },
      }),
      trig({
        id: 'c',
        pattern: { kind: 'all', of: [s('churn'), { kind: 'event', name: 'y' }], within: '1d' },
      }),
      trig({ id: 'd', enabled: false, pattern: s('ltv') }),
      trig({ id: 'e', pattern: { kind: 'event', name: 'z' } }),
    ];
    expect(scoreModels(triggers)).toEqual(['churn', 'purchase']);
    expect(scoreModels([trig({ pattern: { kind: 'event', name: 'z' } })])).toEqual([]);
  });

  it("adds no name to the gateway's event names: kairos.score comes from the journey only", () => {
    expect(triggerEventNames([trig({ pattern: { kind: 'score', model: 'churn', gte: 0.7 } })])).toEqual([]);
  });

  it('makes backtests read the properties a score atom needs', () => {
    expect(propertyKeysRead([trig({ pattern: { kind: 'score', model: 'churn', lte: 0.2 } })])).toEqual([
      'model',
      'value',
    ]);
  });
});

describe('scoreEvent', () => {
  it('is the same event for the same score, timed at the score and received now', () => {
    const now = Date.parse('2027-01-10T12:00:00Z');
    const s = { value: 0.72, at: '2027-01-10T11:59:00.000Z', version: 3 };
    const e = scoreEvent('churn', s, now);
    expect(e).toEqual({
      id: `score:churn:3:${now - 60_000}:0.72`,
      name: 'kairos.score',
      ts: now - 60_000,
      receivedAt: now,
      properties: { model: 'churn', value: 0.72, version: 3 },
    });
    expect(scoreEvent('churn', s, now + 5000).id).toBe(e.id);
  });

  it('never dates the event after now, and falls back to now for an unreadable time', () => {
    const now = 1_000_000;
    expect(
      scoreEvent('churn', { value: 0.1, at: new Date(now + 5000).toISOString(), version: 1 }, now).ts,
    ).toBe(now);
    expect(scoreEvent('churn', { value: 0.1, at: 'not a time', version: 1 }, now)).toMatchObject({
      id: `score:churn:1:${now}:0.1`,
      ts: now,
    });
  });
});
