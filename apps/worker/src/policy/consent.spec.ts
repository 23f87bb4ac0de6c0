import { consentGiven } from './consent';

describe('consentGiven', () => {
  it('is not given for email, SMS and push when neither the profile nor the policy says so', () => {
    for (const c of ['email', 'sms', 'push'] as const) expect(consentGiven({}, c, {})).toBe(false);
    expect(consentGiven({ consent: {} }, 'email', { consentDefault: {} })).toBe(false);
  });

  it('follows the workspace default for channels the profile has no flag for', () => {
    const policy = { consentDefault: { email: true, sms: false } };
    expect(consentGiven({}, 'email', policy)).toBe(true);
    expect(consentGiven({}, 'sms', policy)).toBe(false);
    expect(consentGiven({}, 'push', policy)).toBe(false);
  });

  it("the profile's own flag wins over the default, both ways", () => {
    expect(consentGiven({ consent: { email: false } }, 'email', { consentDefault: { email: true } })).toBe(
      false,
    );
    expect(consentGiven({ consent: { sms: true } }, 'sms', { consentDefault: { sms: false } })).toBe(true);
  });

  it('webhooks need no consent', () => {
    expect(consentGiven({ consent: {} }, 'webhook', {})).toBe(true);
  });
});
