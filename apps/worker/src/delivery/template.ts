import { Liquid } from 'liquidjs';
import { isHtmlTemplate } from './template-literals';
import { appendOpenPixel, markTemplateLinks, trackMarkedLinks, type DeliveryTracking } from './tracking';

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

const OPTIONS = { strictFilters: true, ownPropertyOnly: true, cache: 200 } as const;
// Subjects, text emails, SMS, push and webhooks print values as they are.
const plainLiquid = new Liquid(OPTIONS);
// HTML email bodies escape every `{{ }}` output: a `<script>` in a property arrives as text.
const htmlLiquid = new Liquid({ ...OPTIONS, outputEscape: 'escape' });

export type Rendered = { subject: string | null; body: string };

/**
 * Renders a template for one channel with LiquidJS (context: bindings, profile, trigger, match).
 * With `tracking`, the links written in the template (never those from data) become signed click
 * links, and an HTML email gets an open pixel.
 */
export async function renderTemplate(
  source: string,
  channel: string,
  context: Record<string, unknown>,
  tracking?: DeliveryTracking,
): Promise<Rendered> {
  const t = parseTemplate(source);
  const bodySource = channel === 'email' ? t.body : (t.channels[channel] ?? t.body);
  const html = channel === 'email' && isHtmlTemplate(bodySource);
  const subject: string | null =
    t.subject === null || channel !== 'email'
      ? null
      : String(await plainLiquid.parseAndRender(t.subject, context));
  const engine = html ? htmlLiquid : plainLiquid;
  let body: string;
  if (tracking) {
    const marked = markTemplateLinks(bodySource);
    body = trackMarkedLinks(
      String(await engine.parseAndRender(marked.source, context)),
      marked,
      html,
      tracking,
    );
    if (html) body = appendOpenPixel(body.trim(), tracking);
  } else body = String(await engine.parseAndRender(bodySource, context));
  return { subject: subject === null ? null : subject.trim(), body: body.trim() };
}
