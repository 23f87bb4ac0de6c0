import { parseDuration, tryParseDuration } from './duration';
import { TriggerError } from './errors';

describe('parseDuration', () => {
  it.each([
    [7200000, 7200000],
    ['250ms', 250],
    ['30s', 30000],
    ['90m', 5400000],
    ['2h', 7200000],
    ['7d', 604800000],
    ['1w', 604800000],
    ['180d', 180 * 86400000],
  ])('reads %p as %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['2 h', '1.5h', '-1s', 'h', '10y', ''])(
    'rejects %p with an actionable INVALID_DURATION error',
    (input) => {
      expect(() => parseDuration(input)).toThrow(TriggerError);
      expect(() => parseDuration(input)).toThrow(/not a duration/);
    },
  );

  it('rejects durations over 180 days', () => {
    expect(() => parseDuration('181d')).toThrow(/maximum of 180 days/);
  });

  it('rejects fractional and negative millisecond numbers', () => {
    expect(tryParseDuration(1.5)).toBeNull();
    expect(tryParseDuration(-1)).toBeNull();
  });
});
