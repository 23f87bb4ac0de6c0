import { randomBytes } from 'node:crypto';
import { decodeHTMLAttribute, escapeAttribute } from 'entities';
import { signTrackingToken, type TrackingKey } from '@kairos/codec';
import { literalSpans } from './template-literals';

/** Open and click tracking for rendered messages; tokens come from @kairos/codec, which the gateway verifies with. */
export type TrackingOptions = {
  /** Public base URL of the gateway, e.g. https://kairos.example.com (no trailing slash needed). */
  publicUrl: string;
  /** The first key signs; the gateway verifies with the same list (KAIROS_TRACKING_SECRETS). */
  keys: readonly TrackingKey[];
};

/** Tracking of one delivery: whose links and pixel these are. */
export type DeliveryTracking = TrackingOptions & { deliveryId: string };

/** A template source whose literal links carry a marker only this render knows. */
export type MarkedSource = { source: string; links: readonly string[]; marker: RegExp };

// http(s) URLs in text or in href/src attributes; stops at whitespace, quotes and angle brackets.
const URL_RE = /https?:\/\/[^\s"'<>]+/gi;
// Punctuation that ends a sentence rather than the URL ("see https://x.io/a.").
const TRAILING = /[.,;:!?)\]]+$/;
// Private-use characters around the marker: nothing a template author types by accident.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Marks every http(s) link written in the template's literal text (never inside `{{ }}` or
 * `{% %}`), before any variable is rendered. The marker holds a random nonce, so event or profile
 * data rendered into the body cannot forge one; only marked links are ever tracked.
 */
export function markTemplateLinks(source: string): MarkedSource {
  const nonce = randomBytes(9).toString('hex');
  const links: string[] = [];
  let out = '';
  let at = 0;
  for (const [begin, end] of literalSpans(source)) {
    const text = source.slice(begin, end).replace(URL_RE, (url) => {
      links.push(url);
      return `${OPEN}${nonce}:${links.length - 1}${CLOSE}${url}`;
    });
    out += source.slice(at, begin) + text;
    at = end;
  }
  out += source.slice(at);
  // Case-insensitive and with the URL optional: a filter such as `upcase` on captured text still
  // leaves a marker this pattern removes.
  const marker = new RegExp(`${OPEN}${nonce}:(\\d+)${CLOSE}(https?:\\/\\/[^\\s"'<>${OPEN}]+)?`, 'gi');
  return { source: out, links, marker };
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * The target of a marked link as rendered, or null when it must stay untracked: the rendered link
 * must keep the scheme, host and port the template wrote (`https://shop.example{{ x }}` with
 * x = `@evil.example` is not shop.example any more).
 */
function trackedTarget(literal: string, rendered: string, html: boolean): string | null {
  const decode = (s: string): string => (html ? decodeHTMLAttribute(s) : s);
  const origin = originOf(decode(literal));
  if (origin === null || originOf(decode(rendered)) !== origin) return null;
  return new URL(decode(rendered)).href;
}

/**
 * Rewrites the marked links of a rendered body into signed click links of the gateway (removing
 * every marker); links already pointing at the gateway's tracking path stay as they are.
 */
export function trackMarkedLinks(
  body: string,
  marked: MarkedSource,
  html: boolean,
  tracking: DeliveryTracking,
): string {
  const base = tracking.publicUrl.replace(/\/+$/, '');
  return body.replace(marked.marker, (_m, index: string, found: string | undefined) => {
    if (found === undefined) return '';
    const trail = TRAILING.exec(found)?.[0] ?? '';
    const url = trail ? found.slice(0, -trail.length) : found;
    const literal = marked.links[Number(index)];
    if (literal === undefined || url.startsWith(`${base}/t/`)) return found;
    const target = trackedTarget(literal, url, html);
    if (target === null) return found;
    return `${base}/t/c/${signTrackingToken(tracking.keys, tracking.deliveryId, target)}${trail}`;
  });
}

/** Adds the open pixel to an HTML email, before its last `</body>` when there is one. */
export function appendOpenPixel(body: string, tracking: DeliveryTracking): string {
  const base = tracking.publicUrl.replace(/\/+$/, '');
  const src = `${base}/t/o/${signTrackingToken(tracking.keys, tracking.deliveryId)}`;
  const pixel = `<img src="${escapeAttribute(src)}" width="1" height="1" alt="" style="display:none">`;
  const close = body.toLowerCase().lastIndexOf('</body>');
  return close >= 0 ? `${body.slice(0, close)}${pixel}${body.slice(close)}` : `${body}${pixel}`;
}
