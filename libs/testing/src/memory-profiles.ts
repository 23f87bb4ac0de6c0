import type { Profile } from '@kairos/contracts';
import type { ProfileSource } from '@kairos/worker';

/** Profiles held in memory (the tests' profile source); every channel consented, quiet hours off unless a test sets them. */
export class MemoryProfiles implements ProfileSource {
  readonly profiles = new Map<string, Profile>();
  async get(customerId: string): Promise<Profile | null> {
    return (
      this.profiles.get(customerId) ?? {
        customerId,
        email: `${customerId}@example.com`,
        phone: '+15550100',
        pushTokens: ['tok'],
        // Consent is not given unless recorded (docs/triggers.md §6.3): these customers opted in.
        consent: { email: true, sms: true, push: true },
        timezone: 'UTC',
        quietHours: { start: '00:00', end: '00:00' },
      }
    );
  }
}
