import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A trigger folder as a test writes it: raw JSON, so tests can also write what the loader refuses. */
export type TriggerFolder = {
  /** Template sources by name, written to templates/<name>.liquid. */
  templates: Record<string, string>;
  /** Trigger definitions, each written to <id>.json. */
  triggers: ({ id: string } & Record<string, unknown>)[];
};

/** Writes `folder` to a new temporary folder and returns its path (the caller removes it). */
export function writeTriggerFolder(folder: TriggerFolder): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-triggers-'));
  fs.mkdirSync(path.join(dir, 'templates'));
  for (const [name, source] of Object.entries(folder.templates))
    fs.writeFileSync(path.join(dir, 'templates', `${name}.liquid`), source);
  for (const trigger of folder.triggers)
    fs.writeFileSync(path.join(dir, `${trigger.id}.json`), JSON.stringify(trigger));
  return dir;
}

/** Removes a folder written by writeTriggerFolder. */
export function removeTriggerFolder(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
