import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from './cli-commands';
import { defineTrigger } from './define-trigger';
import { TriggerError } from './errors';
import { PROFILE_FIELDS } from './profile-fields';
import type { Trigger } from './trigger.schema';
import { validateTriggerSet } from './trigger-set';
import { validateTrigger } from './validate';

const EXAMPLES = join(__dirname, '..', 'examples');

const escalating = (when: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'x',
  version: 1,
  pattern: { kind: 'event', name: 'pricing.viewed' },
  response: {
    channels: { order: ['email'] },
    template: 'x',
    escalate: { when, to: 'sales', sla: '4h' },
    ...extra,
  },
});

function errorsOf(input: unknown): { path: string; message: string }[] {
  const r = validateTrigger(input);
  return r.ok ? [] : r.errors;
}

describe('profile paths are checked against the profile schema', () => {
  it('derives the readable fields from the profile schema, nested objects included', () => {
    expect([...PROFILE_FIELDS.keys()]).toEqual(
      expect.arrayContaining([
        'profile.email',
        'profile.consent.sms',
        'profile.quietHours.start',
        'profile.attributes',
      ]),
    );
    expect(PROFILE_FIELDS.get('profile.consent.email')).toBe('boolean');
    expect(PROFILE_FIELDS.has('profile.plan')).toBe(false);
  });

  it('accepts schema fields and any path under profile.attributes', () => {
    for (const path of [
      'profile.email',
      'profile.consent.email',
      'profile.attributes.plan',
      'profile.attributes.a.b',
    ])
      expect(errorsOf(escalating({ path, op: 'exists' }))).toEqual([]);
  });

  it('refuses a field the profile lacks, naming the JSON path, the attribute path and the fields that exist', () => {
    const errors = errorsOf(
      escalating({
        op: 'and',
        args: [
          { path: 'properties.x', op: 'exists' },
          { path: 'profile.plan', op: 'eq', value: 'enterprise' },
        ],
      }),
    );
    expect(errors).toEqual([
      {
        path: 'response.escalate.when.args[1].path',
        message: expect.stringContaining('did you mean "profile.attributes.plan"?'),
      },
    ]);
    expect(errors[0]?.message).toContain('profile.email, profile.phone');
  });

  it('suggests the near field first for a typo, and refuses a path below a scalar field', () => {
    expect(errorsOf(escalating({ path: 'profile.emial', op: 'exists' }))[0]?.message).toContain(
      'did you mean "profile.email" or "profile.attributes.emial"?',
    );
    expect(errorsOf(escalating({ path: 'profile.email.domain', op: 'exists' }))).toHaveLength(1);
  });

  it('refuses a conversion valuePath on the profile: the value is read on the conversion event', () => {
    const t = escalating(
      { path: 'profile.email', op: 'exists' },
      {
        conversion: {
          event: { kind: 'event', name: 'order.completed' },
          window: '7d',
          valuePath: 'profile.attributes.ltv',
        },
      },
    );
    expect(errorsOf(t)).toEqual([
      { path: 'response.conversion.valuePath', message: expect.stringContaining('use "properties.<field>"') },
    ]);
  });

  it('applies to sets (index-prefixed paths) and to defineTrigger', () => {
    const r = validateTriggerSet([
      escalating({ path: 'profile.email', op: 'exists' }),
      { ...escalating({ path: 'profile.plan', op: 'exists' }), id: 'y' },
    ]);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['[1].response.escalate.when.path']);
    expect(() => defineTrigger(escalating({ path: 'profile.plan', op: 'exists' }) as Trigger)).toThrow(
      TriggerError,
    );
  });

  it('check refuses the old pricing-interest (profile.plan) naming profile.attributes.plan, and accepts the shipped one', () => {
    const shipped = JSON.parse(readFileSync(join(EXAMPLES, 'pricing-interest.json'), 'utf8')) as Trigger;
    expect(shipped.response?.escalate?.when).toEqual({
      path: 'profile.attributes.plan',
      op: 'eq',
      value: 'enterprise',
    });
    const dir = mkdtempSync(join(tmpdir(), 'kairos-profile-'));
    const old = {
      ...shipped,
      response: {
        ...shipped.response,
        escalate: {
          ...shipped.response?.escalate,
          when: { path: 'profile.plan', op: 'eq', value: 'enterprise' },
        },
      },
    };
    writeFileSync(join(dir, 'pricing-interest.json'), JSON.stringify(old));
    const r = runCheck(join(dir, 'pricing-interest.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([
      expect.stringMatching(
        /^.*pricing-interest\.json: response\.escalate\.when\.path: "profile\.plan" is not a field of the customer profile; did you mean "profile\.attributes\.plan"\?/,
      ),
    ]);
    const ok = runCheck(EXAMPLES);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toEqual([]);
  });
});
