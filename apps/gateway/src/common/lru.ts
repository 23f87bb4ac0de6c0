import { LRUCache } from 'lru-cache';

/** A bounded set that forgets the least recently added or touched key first (capacity 0: remembers nothing). */
export class LruSet {
  private readonly keys: LRUCache<string, true> | null;

  constructor(capacity: number) {
    this.keys = capacity > 0 ? new LRUCache<string, true>({ max: capacity }) : null;
  }

  /** Whether the key is in the set; a hit counts as a use. */
  has(key: string): boolean {
    return this.keys?.get(key) === true;
  }

  add(key: string): void {
    this.keys?.set(key, true);
  }

  get size(): number {
    return this.keys?.size ?? 0;
  }
}
