import { CustomerProfileSchema, ExitRequestSchema } from './profile.schema';

describe('CustomerProfileSchema', () => {
  it('accepts a full profile', () => {
    const profile = {
      email: 'ana@example.com',
      phone: '+33612345678',
      pushTokens: ['t1'],
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      consent: { email: true, sms: false, push: true },
      quietHours: { start: '21:30', end: '08:00' },
      attributes: { tier: 'gold', ltv: 120.5 },
    };
    expect(CustomerProfileSchema.parse(profile)).toEqual(profile);
  });

  it('names every invalid field: time zone, clock time, consent, phone, unknown keys', () => {
    const r = CustomerProfileSchema.safeParse({
      timezone: 'Mars/Olympus',
      quietHours: { start: '24:00', end: '8:00' },
      consent: { email: 1 },
      phone: '0612',
      nickname: 'x',
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      '',
      'consent.email',
      'phone',
      'quietHours.end',
      'quietHours.start',
      'timezone',
    ]);
  });

  it('requires a reason to exit', () => {
    expect(ExitRequestSchema.safeParse({}).success).toBe(false);
    expect(ExitRequestSchema.parse({ reason: 'support' })).toEqual({ reason: 'support' });
  });
});
