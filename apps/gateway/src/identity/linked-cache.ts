import { LRUCache } from 'lru-cache';

/**
 * Anonymous customer id → the known customer it was linked to, bounded (least recently used
 * first out). Only links are cached, never their absence: another gateway instance may link an
 * id at any time, while a link never changes.
 */
export class LinkedCache {
  private readonly entries: LRUCache<string, string> | null;

  constructor(capacity: number) {
    this.entries = capacity > 0 ? new LRUCache<string, string>({ max: capacity }) : null;
  }

  get(anonymousId: string): string | undefined {
    return this.entries?.get(anonymousId);
  }

  set(anonymousId: string, customerId: string): void {
    this.entries?.set(anonymousId, customerId);
  }
}
