import { OTHER_EVENT_NAMES } from '@kairos/events';

/** The volume row name of unknown names past the per-minute allowance (reserved: never an event's name). */
export const OTHER_NAMES = OTHER_EVENT_NAMES;

/**
 * Which names no trigger uses get a row of their own: the first `perMinute` distinct ones of each
 * minute (per instance); later ones share OTHER_NAMES. Only the current minute is remembered.
 */
export class UnknownNames {
  private minute = -1;
  private names = new Set<string>();

  constructor(private readonly perMinute: number) {}

  /** The name to count `name` under in the minute starting at `minute` (epoch ms). */
  bucket(name: string, minute: number): string {
    if (minute > this.minute) {
      this.minute = minute;
      this.names = new Set();
    }
    // A late count for an earlier minute: by name only if the name has a row this minute.
    if (minute < this.minute) return this.names.has(name) ? name : OTHER_NAMES;
    if (this.names.has(name)) return name;
    if (this.names.size >= this.perMinute) return OTHER_NAMES;
    this.names.add(name);
    return name;
  }
}
