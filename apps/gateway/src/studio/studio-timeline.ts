/**
 * /studio/timeline.js: one customer's trace (GET /v1/backtests/{id}/customers/{customerId}/trace)
 * as an SVG timeline (a lane of events, then one lane per partial match from opened to its end)
 * and as the ordered list of decisions with the rule of docs/triggers.md that made each.
 */
export const STUDIO_TIMELINE_JS = `var SVG = 'http://www.w3.org/2000/svg';
var PALETTE = ['#2563eb', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#4b5563', '#16a34a'];
var CAUSES = {
  negative: 'a negative event arrived',
  window: 'the window ran out',
  strict: 'an event in between broke strict contiguity',
  eviction: 'evicted by the limits (maxKeys / maxPartialsPerKey)',
  superseded: 'superseded by a newer start (startPolicy)'
};
var SHORT = { negative: 'by a negative event', window: 'by the window', strict: 'by strict contiguity', eviction: 'by eviction', superseded: 'superseded' };

function el(name, attrs, parent, text) {
  var node = document.createElementNS(SVG, name);
  Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}
function tip(node, text) { el('title', {}, node, text); return node; }
function time(iso) { return iso.slice(0, 19).replace('T', ' '); }

/** One lane per attempt: entries with the same (triggerId, partial), in order of opening. */
export function partials(trace) {
  var lanes = []; var byKey = {};
  trace.entries.forEach(function (e) {
    var k = e.triggerId + '#' + e.partial;
    if (!byKey[k]) { byKey[k] = { triggerId: e.triggerId, partial: e.partial, key: e.key, entries: [] }; lanes.push(byKey[k]); }
    byKey[k].entries.push(e);
  });
  return lanes;
}

/** "4 partial matches: 1 completed (fired), 3 killed (2 a negative event arrived, ...)". */
export function summarize(trace) {
  var lanes = partials(trace);
  if (lanes.length === 0) return trace.events.length + ' events in the range; no partial match was opened: no event matched the first step.';
  var done = {}; var killed = {}; var open = 0;
  lanes.forEach(function (l) {
    var last = l.entries[l.entries.length - 1];
    if (last.kind === 'completed') { var s = last.match ? last.match.status + (last.match.reason ? ': ' + last.match.reason : '') : 'completed'; done[s] = (done[s] || 0) + 1; }
    else if (last.kind === 'killed') { var c = SHORT[last.cause] || last.cause || 'killed'; killed[c] = (killed[c] || 0) + 1; }
    else open += 1;
  });
  function list(o) { return Object.keys(o).map(function (k) { return o[k] + ' ' + k; }).join(', '); }
  var parts = [];
  if (Object.keys(done).length) parts.push('completed (' + list(done) + ')');
  if (Object.keys(killed).length) parts.push('killed (' + list(killed) + ')');
  if (open) parts.push(open + ' still open at the end of the range');
  return trace.events.length + ' events, ' + lanes.length + ' partial match' + (lanes.length === 1 ? '' : 'es') + ': ' + parts.join('; ') + (trace.truncated ? ' (truncated)' : '') + '.';
}

export function drawTimeline(svg, trace) {
  var lanes = partials(trace);
  var names = []; trace.events.forEach(function (e) { if (names.indexOf(e.name) < 0) names.push(e.name); });
  var times = trace.events.map(function (e) { return Date.parse(e.ts); }).concat(trace.entries.map(function (e) { return Date.parse(e.at); }));
  var t0 = Math.min.apply(null, times.length ? times : [Date.now()]); var t1 = Math.max.apply(null, times.length ? times : [Date.now()]);
  if (t1 - t0 < 60000) { t0 -= 30000; t1 += 30000; }
  var W = 900, L = 170, R = 20, ROW = 26, TOP = 24;
  var H = TOP + ROW * (lanes.length + 1) + 26 + 18 * Math.ceil(names.length / 4);
  function x(iso) { return L + (Date.parse(iso) - t0) / (t1 - t0) * (W - L - R); }
  svg.textContent = '';
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  svg.dataset.partials = String(lanes.length);
  svg.dataset.events = String(trace.events.length);
  el('text', { x: L, y: 14, 'font-size': 11, fill: '#6b7280' }, svg, time(new Date(t0).toISOString()) + ' UTC');
  el('text', { x: W - R, y: 14, 'font-size': 11, fill: '#6b7280', 'text-anchor': 'end' }, svg, time(new Date(t1).toISOString()));
  var y0 = TOP + ROW / 2;
  el('text', { x: 4, y: y0 + 4, 'font-size': 12 }, svg, 'events');
  el('line', { x1: L, x2: W - R, y1: y0, y2: y0, stroke: '#e5e7eb' }, svg);
  trace.events.forEach(function (e) {
    var color = PALETTE[names.indexOf(e.name) % PALETTE.length];
    tip(el('circle', { cx: x(e.ts), cy: y0, r: 5, fill: color, 'class': 'event', 'data-event-id': e.id }, svg), e.name + ' · ' + e.id + ' · ' + time(e.ts));
  });
  lanes.forEach(function (lane, i) {
    var y = TOP + ROW * (i + 1) + ROW / 2;
    var first = lane.entries[0]; var last = lane.entries[lane.entries.length - 1];
    var color = last.kind === 'completed' ? '#16a34a' : last.kind === 'killed' ? '#dc2626' : '#6b7280';
    var name = lane.triggerId + ' #' + lane.partial + (lane.key ? ' ' + lane.key : '');
    tip(el('text', { x: 4, y: y + 4, 'font-size': 11 }, svg, name.length > 27 ? name.slice(0, 26) + '…' : name), name);
    el('line', { x1: x(first.at), x2: Math.max(x(last.at), x(first.at) + 2), y1: y, y2: y, stroke: color, 'stroke-width': 4, 'class': 'partial', 'data-end': last.kind }, svg);
    lane.entries.forEach(function (e) {
      var label = e.kind + (e.cause ? ' (' + (CAUSES[e.cause] || e.cause) + ')' : '') + ' · ' + e.rule + ' · ' + time(e.at);
      if (e.kind === 'killed') tip(el('path', { d: 'M' + (x(e.at) - 5) + ' ' + (y - 5) + 'l10 10m0 -10l-10 10', stroke: '#dc2626', 'stroke-width': 2.5 }, svg), label);
      else if (e.kind === 'completed') tip(el('rect', { x: x(e.at) - 5, y: y - 5, width: 10, height: 10, fill: '#16a34a', transform: 'rotate(45 ' + x(e.at) + ' ' + y + ')' }, svg), label);
      else tip(el('circle', { cx: x(e.at), cy: y, r: e.kind === 'opened' ? 5 : 3.5, fill: e.kind === 'opened' ? '#fff' : color, stroke: color, 'stroke-width': 2 }, svg), label);
    });
  });
  var ly = TOP + ROW * (lanes.length + 1) + 20;
  names.forEach(function (n, i) {
    var lx = L + (i % 4) * 180; var yy = ly + 18 * Math.floor(i / 4);
    el('circle', { cx: lx, cy: yy - 4, r: 5, fill: PALETTE[i % PALETTE.length] }, svg);
    el('text', { x: lx + 9, y: yy, 'font-size': 11 }, svg, n);
  });
}

export function listTrace(ol, trace) {
  var names = {}; trace.events.forEach(function (e) { names[e.id] = e.name; });
  ol.textContent = '';
  trace.entries.forEach(function (e) {
    var li = document.createElement('li'); li.className = e.kind;
    var by = e.eventId ? ' by ' + (names[e.eventId] || 'event') + ' (' + e.eventId + ')' : ' at the deadline';
    var what = e.kind === 'opened' ? 'opened' + by
      : e.kind === 'advanced' ? 'advanced to step ' + e.step + by
      : e.kind === 'killed' ? 'killed: ' + (CAUSES[e.cause] || e.cause) + (e.eventId ? ' (' + (names[e.eventId] || 'event') + ' ' + e.eventId + ')' : '')
      : 'completed' + (e.match ? ': ' + e.match.status + (e.match.reason ? ' (' + e.match.reason + ')' : '') : '');
    li.textContent = time(e.at) + '  ' + e.triggerId + ' #' + e.partial + (e.key ? ' [' + e.key + ']' : '') + '  ' + what + '  — docs/triggers.md ' + e.rule;
    ol.appendChild(li);
  });
}
`;
