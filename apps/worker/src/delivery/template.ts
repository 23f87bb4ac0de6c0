import { Liquid } from 'liquidjs';

/**
 * A message template: `templates/<id>.liquid`, optional front matter between `---` lines with
 * `subject: ...` and per-channel bodies (`sms: ...`, `push: ...`, `webhook: ...`); the body
 * after the front matter is the email body and the default for every other channel.
 */
export type ParsedTemplate = { subject: string | null; body: string; channels: Record<string, string> };

export function parseTemplate(source: string): ParsedTemplate {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!m) return { subject: null, body: source, channels: {} };
  const front: Record<string, string> = {};
  for (const line of (m[1] ?? '').split(/\r?\n/)) {
    const kv = /^([A-Za-z0-9_-]+):\s?(.*)$/.exec(line);
    if (kv) front[kv[1] as string] = (kv[2] ?? '').trim();
  }
  const { subject, ...channels } = front;
  return { subject: subject ?? null, body: m[2] ?? '', channels };
}

const liquid = new Liquid({ strictFilters: true, ownPropertyOnly: true, cache: 200 });

export type Rendered = { subject: string | null; body: string };

/** Renders a template for one channel with LiquidJS (context: bindings, profile, trigger, match). */
export async function renderTemplate(
  source: string,
  channel: string,
  context: Record<string, unknown>,
): Promise<Rendered> {
  const t = parseTemplate(source);
  const bodySource = channel === 'email' ? t.body : (t.channels[channel] ?? t.body);
  const subject: string | null =
    t.subject === null || channel !== 'email'
      ? null
      : String(await liquid.parseAndRender(t.subject, context));
  const body = String(await liquid.parseAndRender(bodySource, context));
  return { subject: subject === null ? null : String(subject).trim(), body: String(body).trim() };
}
