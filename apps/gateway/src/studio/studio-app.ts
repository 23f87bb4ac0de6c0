/**
 * /studio/app.js: the studio's main module. The key comes from the form, the fragment `#key=`
 * (never sent to the server) or localStorage, and travels only in the Authorization header. A run
 * posts the draft (or the loaded trigger's id when unchanged) to POST /v1/backtests and, when the
 * draft edits a loaded trigger, the loaded version too, then polls both until they end.
 */
import { BACKTEST_SAMPLES_PER_TRIGGER } from '@kairos/triggers';

export const STUDIO_APP_JS = `import { loadSchemaValidator, schemaProblems } from '/studio/validate.js';
import { drawTimeline, listTrace, summarize } from '/studio/timeline.js';

var $ = function (id) { return document.getElementById(id); };
var STORE = 'kairos.studioKey';
var fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('key')) {
  // A fragment never reaches the server (nor its logs); drop it from the address bar and history too.
  localStorage.setItem(STORE, fragment.get('key'));
  history.replaceState(null, '', location.pathname + location.search);
}
var key = localStorage.getItem(STORE);
var loaded = {};        // id -> the loaded definition as written in its file
var validator = null;
var runs = null;        // { draft: id, baseline: id | null }
var chart = null;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

function fmt(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }
function status(text) { $('status').textContent = text; }
function fail(err) {
  var box = $('error'); box.style.display = 'block'; box.textContent = String(err && err.message || err);
  document.body.dataset.error = 'true';
}
function api(method, path, body) {
  var init = { method: method, headers: { authorization: 'Bearer ' + key } };
  if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
  return fetch(path, init).then(function (res) {
    if (res.status === 401) { localStorage.removeItem(STORE); throw new Error('The API key was refused (401): enter a valid key.'); }
    return res.json().then(function (json) {
      if (res.ok) return json;
      var detail = json.errors ? json.errors.map(function (e) { return e.path + ': ' + e.message; }).join('; ') : json.detail;
      throw new Error((json.title || 'HTTP ' + res.status) + (detail ? ': ' + detail : ''));
    });
  });
}

// ---- definitions and validation -------------------------------------------------------------
function loadDefinitions() {
  return api('GET', '/v1/studio/definitions').then(function (body) {
    body.definitions.forEach(function (d) {
      loaded[d.id] = d.definition;
      var o = document.createElement('option'); o.value = d.id; o.textContent = d.id + ' v' + d.version + (d.enabled ? '' : ' (disabled)');
      $('trigger').appendChild(o);
    });
    var wanted = new URLSearchParams(location.search).get('trigger');
    if (wanted && loaded[wanted]) { $('trigger').value = wanted; pick(); }
    else if (!$('editor').value) $('editor').value = JSON.stringify({ id: 'my-draft', version: 1, pattern: { kind: 'event', name: 'cart.updated' } }, null, 2);
  });
}
function pick() {
  var id = $('trigger').value;
  if (id) { $('editor').value = JSON.stringify(loaded[id], null, 2); validate(); }
}
function parsed() { try { return { value: JSON.parse($('editor').value) }; } catch (e) { return { error: e.message }; } }
function showProblems(items, ok) {
  var ul = $('validation'); ul.textContent = '';
  if (items.length === 0) { var li = document.createElement('li'); li.className = 'ok'; li.textContent = ok; ul.appendChild(li); }
  items.forEach(function (p) { var li = document.createElement('li'); li.className = p.level; li.textContent = (p.path ? p.path + ': ' : '') + p.message; ul.appendChild(li); });
  $('run').disabled = items.some(function (p) { return p.level === 'error'; });
}
var serverTimer = null;
function validate() {
  var p = parsed(); clearTimeout(serverTimer);
  document.body.dataset.valid = 'pending';
  if (p.error) { showProblems([{ level: 'error', path: '', message: 'not JSON yet: ' + p.error }]); document.body.dataset.valid = 'false'; return; }
  var local = validator ? schemaProblems(validator, p.value).map(function (e) { return { level: 'error', path: e.path, message: e.message }; }) : [];
  showProblems(local, 'Matches the trigger JSON Schema; checking the full rules…');
  // The full rules (unique ids, state budget, profile paths) and the warnings, once typing pauses.
  serverTimer = setTimeout(function () {
    api('POST', '/v1/triggers/validate', p.value).then(function (r) {
      var items = r.errors.map(function (e) { return { level: 'error', path: e.path, message: e.message }; })
        .concat(r.warnings.map(function (e) { return { level: 'warning', path: e.path, message: e.message }; }));
      showProblems(items, 'Valid: the definition follows every rule of docs/triggers.md §2.7.');
      document.body.dataset.valid = r.valid ? 'true' : 'false';
    }).catch(function (err) { showProblems(local.concat([{ level: 'warning', path: '', message: 'full rules not checked: ' + err.message }]), ''); });
  }, 400);
}

// ---- range ------------------------------------------------------------------------------------
function toInput(ms) { return new Date(ms).toISOString().slice(0, 16); }
function setRange(days) { var to = Math.ceil(Date.now() / 60000) * 60000; $('to').value = toInput(to); $('from').value = toInput(to - days * 86400000); }
function fromInput(id) { return new Date($(id).value + ':00Z').toISOString(); }

// ---- runs -------------------------------------------------------------------------------------
function request(trigger) {
  var body = { triggers: [trigger], from: fromInput('from'), to: fromInput('to'), policy: $('policy').checked };
  if ($('sample').value) body.sample = Number($('sample').value);
  return body;
}
function run() {
  var p = parsed(); if (p.error) return;
  if (!$('from').value || !$('to').value) { fail('Pick the range to run on: "From" and "To" (UTC).'); return; }
  var draft = p.value; var base = loaded[draft.id];
  var unchanged = base && JSON.stringify(base) === JSON.stringify(draft);
  var compare = $('compare').checked && base && !unchanged;
  document.body.dataset.backtest = 'running'; document.body.dataset.trace = 'idle';
  $('error').style.display = 'none'; $('run-status').textContent = 'starting…';
  Promise.all([api('POST', '/v1/backtests', request(unchanged ? draft.id : draft)),
    compare ? api('POST', '/v1/backtests', request(draft.id)) : Promise.resolve(null)])
    .then(function (started) {
      runs = { draft: started[0].id, baseline: started[1] ? started[1].id : null };
      $('cancel').disabled = false; $('trace').disabled = false; $('trace-of').disabled = !runs.baseline;
      if (!runs.baseline) $('trace-of').value = 'draft';
      poll(runs);
    }).catch(function (err) { document.body.dataset.backtest = 'failed'; $('run-status').textContent = ''; fail(err); });
}
function poll(current) {
  Promise.all([api('GET', '/v1/backtests/' + current.draft), current.baseline ? api('GET', '/v1/backtests/' + current.baseline) : null])
    .then(function (views) {
      if (runs !== current) return;
      var draft = views[0]; var base = views[1];
      var ended = function (v) { return !v || ['completed', 'failed', 'cancelled'].indexOf(v.state) >= 0; };
      $('progress').value = draft.progress.fraction;
      $('run-status').textContent = draft.state + ' · ' + fmt(draft.progress.customersDone) + (draft.progress.customersTotal === null ? '' : ' / ' + fmt(draft.progress.customersTotal)) + ' customers · ' + fmt(draft.progress.eventsDone) + ' events';
      render(draft, base);
      if (ended(draft) && ended(base)) {
        $('cancel').disabled = true;
        var bad = [draft, base].filter(function (v) { return v && v.state === 'failed'; });
        if (bad.length) fail('The backtest failed: ' + bad[0].error);
        document.body.dataset.backtest = draft.state === 'completed' ? 'done' : draft.state;
        return;
      }
      setTimeout(function () { poll(current); }, 400);
    }).catch(function (err) { document.body.dataset.backtest = 'failed'; fail(err); });
}
function cancel() {
  if (!runs) return;
  [runs.draft, runs.baseline].filter(Boolean).forEach(function (id) { api('POST', '/v1/backtests/' + id + '/cancel').catch(fail); });
}

function sum(o) { return Object.keys(o).reduce(function (s, k) { return s + o[k]; }, 0); }
function kpi(name, value, baseValue) {
  document.querySelector('[data-kpi="' + name + '"]').textContent = fmt(value);
  var d = document.querySelector('[data-delta="' + name + '"]');
  if (!d) return;
  if (baseValue === undefined) { d.textContent = ''; return; }
  var diff = value - baseValue;
  d.textContent = (diff > 0 ? '+' : '') + fmt(diff) + ' vs loaded (' + fmt(baseValue) + ')';
  d.style.color = diff < 0 ? '#dc2626' : '#16a34a';
}
function render(view, baseView) {
  var t = view.results.triggers[0]; var b = baseView && baseView.results.triggers[0];
  if (!t) return;
  kpi('matches', t.matches, b ? b.matches : undefined);
  kpi('customers', t.customersMatched, b ? b.customersMatched : undefined);
  kpi('suppressed', sum(t.suppressed), b ? sum(b.suppressed) : undefined);
  kpi('events', view.results.events); kpi('customersRead', view.results.customers);
  var sets = [{ label: t.triggerId + (b ? ' (draft)' : ''), backgroundColor: '#2563eb', data: t.perDay.map(function (d) { return d.matches; }) }];
  if (b) sets.push({ label: b.triggerId + ' (loaded)', backgroundColor: '#9ca3af', data: b.perDay.map(function (d) { return d.matches; }) });
  var labels = t.perDay.map(function (d) { return d.day.slice(0, 10); });
  if (chart) { chart.data.labels = labels; chart.data.datasets = sets; chart.update(); }
  else chart = new Chart($('chart-days'), { type: 'bar', data: { labels: labels, datasets: sets }, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  var table = $('suppressions'); table.textContent = '';
  var head = table.insertRow(); ['reason', 'draft'].concat(b ? ['loaded'] : []).forEach(function (h, i) { var th = document.createElement('th'); th.textContent = h; if (i) th.className = 'num'; head.appendChild(th); });
  Object.keys(t.suppressed).forEach(function (reason) {
    var row = table.insertRow(); row.insertCell().textContent = reason;
    [t, b].filter(Boolean).forEach(function (x) { var c = row.insertCell(); c.className = 'num'; c.textContent = fmt(x.suppressed[reason]); });
  });
  var samples = $('samples'); samples.textContent = '';
  var sh = samples.insertRow(); ['customer', 'matched at', 'status', 'key', 'bound events'].concat(b ? ['loaded version'] : []).forEach(function (h) { var th = document.createElement('th'); th.textContent = h; sh.appendChild(th); });
  var before = b && inLoaded(t.samples, b.samples);
  t.samples.forEach(function (s, i) {
    var row = samples.insertRow(); row.dataset.customer = s.customerId;
    [s.customerId, s.matchedAt.slice(0, 19).replace('T', ' '), s.status + (s.reason ? ' (' + s.reason + ')' : ''), s.key,
      s.events.map(function (e) { return e.name; }).join(' → ')].concat(before ? [before(s, i)] : []).forEach(function (v) { row.insertCell().textContent = v; });
    row.addEventListener('click', function () { $('customer').value = s.customerId; trace(); });
  });
}

/**
 * What the loaded version did for each sample customer of the draft: "matched", "suppressed" or
 * "no match". Both runs take customers in the same order and keep their first matches as
 * samples, so the loaded version's samples are complete up to their last customer; past it the
 * answer is unknown ("–"). Where that customer is not among the draft's samples, ids are compared
 * as text, trusted only when code-unit and locale order agree (the database's collation is one of them).
 */
function inLoaded(draftSamples, loadedSamples) {
  var got = {}; loadedSamples.forEach(function (s) { if (got[s.customerId] !== 'matched') got[s.customerId] = s.status === 'fired' ? 'matched' : 'suppressed'; });
  var complete = loadedSamples.length < ${BACKTEST_SAMPLES_PER_TRIGGER};
  var last = loadedSamples.length ? loadedSamples[loadedSamples.length - 1].customerId : null;
  var cut = draftSamples.map(function (s) { return s.customerId; }).indexOf(last);
  function before(id, i) { return cut >= 0 ? i <= cut : last !== null && id < last && id.localeCompare(last) < 0; }
  return function (s, i) { return got[s.customerId] || (complete || before(s.customerId, i) ? 'no match' : '–'); };
}

// ---- trace ------------------------------------------------------------------------------------
var traceSeq = 0;
function trace() {
  var customer = $('customer').value.trim();
  if (!runs || !customer) return;
  document.body.dataset.trace = 'loading';
  // Only the last asked trace is drawn, whatever order the answers come in.
  var mine = ++traceSeq;
  var loadedRun = $('trace-of').value === 'loaded' && runs.baseline;
  api('GET', '/v1/backtests/' + (loadedRun ? runs.baseline : runs.draft) + '/customers/' + encodeURIComponent(customer) + '/trace').then(function (t) {
    if (mine !== traceSeq) return;
    $('trace-summary').textContent = customer + (loadedRun ? ' (loaded version): ' : ' (draft): ') + summarize(t);
    drawTimeline($('timeline'), t); listTrace($('trace-entries'), t);
    document.body.dataset.trace = 'done';
  }).catch(function (err) { if (mine === traceSeq) { document.body.dataset.trace = 'failed'; fail(err); } });
}

// ---- start ------------------------------------------------------------------------------------
function start() {
  if (!key) { $('keyform').style.display = 'block'; return; }
  status('Loading…');
  Promise.all([loadSchemaValidator().then(function (v) { validator = v; }), loadDefinitions()])
    .then(function () { validate(); status(''); document.body.dataset.ready = 'true'; })
    .catch(function (err) { fail(err); status(''); if (!localStorage.getItem(STORE)) { key = null; $('keyform').style.display = 'block'; } });
}
$('keyform').addEventListener('submit', function (e) {
  e.preventDefault(); key = $('key').value.trim(); if (!key) return;
  localStorage.setItem(STORE, key); $('keyform').style.display = 'none'; $('error').style.display = 'none'; start();
});
$('forget').addEventListener('click', function () { localStorage.removeItem(STORE); location.reload(); });
$('trigger').addEventListener('change', pick);
$('editor').addEventListener('input', validate);
$('run').addEventListener('click', run);
$('cancel').addEventListener('click', cancel);
$('trace').addEventListener('click', trace);
$('trace-of').addEventListener('change', trace);
$('customer').addEventListener('keydown', function (e) { if (e.key === 'Enter') trace(); });
Array.prototype.forEach.call(document.querySelectorAll('[data-range]'), function (b) { b.addEventListener('click', function () { setRange(Number(b.dataset.range)); }); });
setRange(1);
start();
`;
