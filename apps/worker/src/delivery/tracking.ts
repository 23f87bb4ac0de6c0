import { signTrackingToken } from '@kairos/codec';

/** Open and click tracking for rendered messages; tokens come from @kairos/codec, which the gateway verifies with. */
export type TrackingOptions = {
  /** Public base URL of the gateway, e.g. https://kairos.example.com (no trailing slash needed). */
  publicUrl: string;
  secret: string;
};

// http(s) URLs in text or in href/src attributes; stops at whitespace, quotes and angle brackets.
const URL_RE = /https?:\/\/[^\s"'<>]+/gi;
// Punctuation that ends a sentence rather than the URL ("see https://x.io/a.").
const TRAILING = /[.,;:!?)\]]+$/;

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const unescapeHtml = (s: string): string => s.replace(/&amp;/g, '&');

/**
 * Rewrites every http(s) link of a rendered body into a signed click link of the gateway, and
 * appends an open pixel to email bodies. Links already pointing at the gateway's tracking path
 * are left alone, so applying it twice changes nothing.
 */
export function insertTracking(
  body: string,
  channel: string,
  deliveryId: string,
  options: TrackingOptions,
): string {
  const base = options.publicUrl.replace(/\/+$/, '');
  const html = channel === 'email' && /<[a-z][\s\S]*>/i.test(body);
  const rewritten = body.replace(URL_RE, (found) => {
    const trail = TRAILING.exec(found)?.[0] ?? '';
    const url = trail ? found.slice(0, -trail.length) : found;
    if (url.startsWith(`${base}/t/`)) return found;
    const target = html ? unescapeHtml(url) : url;
    return `${base}/t/c/${signTrackingToken(options.secret, deliveryId, target)}${trail}`;
  });
  if (channel !== 'email') return rewritten;
  if (rewritten.includes(`${base}/t/o/`)) return rewritten;
  const pixel = `<img src="${escapeAttr(`${base}/t/o/${signTrackingToken(options.secret, deliveryId)}`)}" width="1" height="1" alt="" style="display:none">`;
  if (!html) return rewritten;
  const close = rewritten.search(/<\/body>/i);
  return close >= 0
    ? `${rewritten.slice(0, close)}${pixel}${rewritten.slice(close)}`
    : `${rewritten}${pixel}`;
}
