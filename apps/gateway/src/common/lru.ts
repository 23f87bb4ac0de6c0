/** A bounded set that forgets the least recently added/touched key first (Map keeps insertion order). */
export class LruSet {
  private readonly keys = new Map<string, true>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    if (!this.keys.has(key)) return false;
    this.keys.delete(key);
    this.keys.set(key, true);
    return true;
  }

  add(key: string): void {
    if (this.capacity <= 0) return;
    this.keys.delete(key);
    this.keys.set(key, true);
    while (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next();
      if (oldest.done) break;
      this.keys.delete(oldest.value);
    }
  }

  get size(): number {
    return this.keys.size;
  }
}
