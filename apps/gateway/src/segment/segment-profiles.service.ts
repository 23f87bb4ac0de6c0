import { Injectable } from '@nestjs/common';
import { CustomerProfileSchema, type CustomerProfile } from '@kairos/events';
import { ProblemException, validationProblem } from '../common/problem';
import { CustomersService } from '../customers/customers.service';
import type { ProfilePatch } from './segment.mapper';

/**
 * Applies identify, group and alias calls to profiles. Segment's identify merges traits into
 * what is known (a field left out keeps its value), while `PUT /v1/customers/{id}` replaces the
 * whole profile: so the stored profile is read, the patch merged in, and the result put back.
 * Two concurrent identifies of one customer may lose one's attributes (last write wins).
 */
@Injectable()
export class SegmentProfilesService {
  constructor(private readonly customers: CustomersService) {}

  async apply(customerId: string, patch: ProfilePatch, requestId?: string): Promise<void> {
    const current = await this.current(customerId);
    const attributes: Record<string, unknown> = { ...(current.attributes ?? {}), ...patch.attributes };
    if (patch.alias !== undefined) {
      const known = Array.isArray(attributes.aliases) ? (attributes.aliases as unknown[]) : [];
      attributes.aliases = known.includes(patch.alias) ? known : [...known, patch.alias];
    }
    const merged = {
      ...current,
      ...patch.fields,
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    };
    const parsed = CustomerProfileSchema.safeParse(merged);
    if (!parsed.success) throw validationProblem(parsed.error, 'Profile after merging the traits');
    await this.customers.put(customerId, parsed.data, requestId);
  }

  /** The stored profile without the view's metadata and scores, or an empty one for a new customer. */
  private async current(customerId: string): Promise<CustomerProfile> {
    try {
      const {
        customerId: _id,
        createdAt: _c,
        updatedAt: _u,
        // Written by the worker beside the profile; never part of what a PUT sets.
        scores: _s,
        ...profile
      } = await this.customers.get(customerId);
      return profile;
    } catch (err) {
      if (err instanceof ProblemException && err.code === 'customer-not-found') return {};
      throw err;
    }
  }
}
