import { MODELS_PANEL_HTML } from './models-panel';

/**
 * The /dashboard page: static HTML and a browser script that reads the report JSON with an API
 * key (reports:read) and draws it with Chart.js (served from node_modules, no CDN). The key comes
 * from the form, the fragment `#key=` (never sent to the server) or localStorage, and is sent in
 * the Authorization header only; `from`, `to`, `bucket` and `model` query parameters pass through
 * to the reports. When every chart is drawn the script sets `data-ready="true"` on <body>.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kairos — measurement</title>
<style>
  :root { --fg: #1f2937; --muted: #6b7280; --card: #fff; --bg: #f3f4f6; --accent: #2563eb; --bad: #dc2626; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
  header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 12px 20px; background: #111827; color: #fff; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; }
  header label { color: #d1d5db; font-size: 12px; }
  header select, header input, header button { font: inherit; padding: 4px 8px; border-radius: 4px; border: 1px solid #374151; }
  header button { background: var(--accent); color: #fff; border: 0; cursor: pointer; }
  main { padding: 16px 20px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); }
  .card { background: var(--card); border-radius: 8px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .card h2 { font-size: 15px; margin: 0 0 8px; }
  .card p.note { color: var(--muted); margin: 4px 0 8px; font-size: 12px; }
  .kpis { grid-column: 1 / -1; display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); }
  .kpi { background: var(--card); border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .kpi .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .kpi .value { font-size: 24px; font-weight: 600; margin-top: 4px; }
  .chart { position: relative; height: 260px; }
  table { width: 100%; border-collapse: collapse; margin-top: 8px; font-size: 12px; }
  th, td { text-align: right; padding: 3px 6px; border-bottom: 1px solid #e5e7eb; }
  th:first-child, td:first-child { text-align: left; }
  .anomaly { color: var(--bad); font-weight: 600; }
  #status { margin-left: auto; color: #d1d5db; font-size: 12px; }
  #keyform { display: none; grid-column: 1 / -1; }
  #error { display: none; grid-column: 1 / -1; color: var(--bad); }
</style>
</head>
<body data-ready="false">
<header>
  <h1>Kairos · measurement</h1>
  <label>Range <select id="range">
    <option value="24">last 24 hours</option><option value="168">last 7 days</option><option value="720">last 30 days</option>
  </select></label>
  <label>Attribution <select id="model">
    <option value="last-touch">last touch</option><option value="first-touch">first touch</option><option value="linear">linear</option>
  </select></label>
  <button id="refresh" type="button">Refresh</button>
  <span id="status"></span>
</header>
<main>
  <form id="keyform" class="card">
    <h2>API key</h2>
    <p class="note">A key with the <code>reports:read</code> scope (<code>npm run apikey -- create --name dashboard --scopes reports:read</code>). It is kept in this browser's localStorage.</p>
    <input id="key" type="password" size="48" autocomplete="off" placeholder="kairos_..."> <button type="submit">Show reports</button>
  </form>
  <div id="error" class="card"></div>
  <section class="kpis">
    <div class="kpi"><div class="label">Matches fired</div><div class="value" data-kpi="fired">–</div></div>
    <div class="kpi"><div class="label">Messages sent</div><div class="value" data-kpi="messages">–</div></div>
    <div class="kpi"><div class="label">Open rate</div><div class="value" data-kpi="openRate">–</div></div>
    <div class="kpi"><div class="label">Conversions</div><div class="value" data-kpi="conversions">–</div></div>
    <div class="kpi"><div class="label">Attributed revenue</div><div class="value" data-kpi="revenue">–</div></div>
    <div class="kpi"><div class="label">Message cost</div><div class="value" data-kpi="cost">–</div></div>
    <div class="kpi"><div class="label">ROI</div><div class="value" data-kpi="roi">–</div></div>
    <div class="kpi"><div class="label">Volume anomalies</div><div class="value" data-kpi="anomalies">–</div></div>
  </section>
  <section class="card"><h2>Trigger volume</h2><p class="note">Matches fired per trigger; red points differ from the rolling baseline by more than 3σ.</p><div class="chart"><canvas id="chart-triggers"></canvas></div></section>
  <section class="card"><h2>Event volume</h2><p class="note">Events received per name (duplicates excluded).</p><div class="chart"><canvas id="chart-events"></canvas></div></section>
  <section class="card"><h2>Response rates</h2><p class="note">Opens and clicks per trigger, channel and variant.</p><div class="chart"><canvas id="chart-responses"></canvas></div></section>
  <section class="card"><h2>Conversion: treated vs holdout</h2><p class="note">Share of matches converting within the goal window; lift over not sending.</p><div class="chart"><canvas id="chart-lift"></canvas></div><table id="table-lift"></table></section>
  <section class="card"><h2>Timing impact</h2><p class="note">Conversion rate per delay variant, with Wilson 95% intervals.</p><div class="chart"><canvas id="chart-timing"></canvas></div></section>
  <section class="card"><h2>Return on investment</h2><p class="note">Attributed revenue against the cost of the messages sent.</p><div class="chart"><canvas id="chart-roi"></canvas></div><table id="table-roi"></table></section>
  ${MODELS_PANEL_HTML}
</main>
<script src="/dashboard/chart.umd.js"></script>
<script src="/dashboard/app.js"></script>
<script src="/dashboard/models.js"></script>
</body>
</html>
`;

export const DASHBOARD_JS = `'use strict';
(function () {
  var COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#4b5563'];
  var params = new URLSearchParams(location.search);
  var charts = {};
  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('key')) {
    // A fragment never reaches the server (nor its logs); drop it from the address bar and history too.
    localStorage.setItem('kairos.reportsKey', fragment.get('key'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  var key = localStorage.getItem('kairos.reportsKey');
  if (params.get('model')) document.getElementById('model').value = params.get('model');
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function fmt(n, digits) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 0 : digits }); }
  function pct(r) { return r === null || r === undefined ? '–' : (r * 100).toFixed(1) + '%'; }
  function money(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function setKpi(name, text) { document.querySelector('[data-kpi="' + name + '"]').textContent = text; }
  function draw(id, config) { if (charts[id]) charts[id].destroy(); charts[id] = new Chart(document.getElementById(id), config); }
  function table(id, head, rows) {
    var t = document.getElementById(id); t.textContent = '';
    var tr = t.insertRow(); head.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; tr.appendChild(th); });
    rows.forEach(function (r) { var row = t.insertRow(); r.forEach(function (c) { row.insertCell().textContent = c; }); });
  }
  function range() {
    if (params.get('from') && params.get('to')) return { from: params.get('from'), to: params.get('to'), bucket: params.get('bucket') || '1h' };
    var hours = Number(document.getElementById('range').value);
    var to = new Date(); var from = new Date(to.getTime() - hours * 3600000);
    return { from: from.toISOString(), to: to.toISOString(), bucket: hours > 24 * 7 ? '6h' : hours > 24 ? '1h' : '15m' };
  }
  function get(path, r, extra) {
    var q = new URLSearchParams({ from: r.from, to: r.to }); Object.keys(extra || {}).forEach(function (k) { q.set(k, extra[k]); });
    return fetch('/v1/reports/' + path + '?' + q, { headers: { authorization: 'Bearer ' + key } }).then(function (res) {
      if (res.status === 401 || res.status === 403) { localStorage.removeItem('kairos.reportsKey'); throw new Error('The API key was refused (' + res.status + '): it needs the reports:read scope.'); }
      if (!res.ok) return res.json().then(function (p) { throw new Error(p.title + ': ' + p.detail); });
      return res.json();
    });
  }
  function lineSeries(series) {
    return series.map(function (s, i) {
      var color = COLORS[i % COLORS.length];
      return {
        label: s.key, data: s.points.map(function (p) { return { x: p.at, y: p.count }; }), borderColor: color, backgroundColor: color, tension: 0.2,
        pointRadius: s.points.map(function (p) { return p.anomaly ? 6 : 1.5; }),
        pointBackgroundColor: s.points.map(function (p) { return p.anomaly ? '#dc2626' : color; })
      };
    });
  }
  function timeAxis(points) { return { type: 'category', labels: points, ticks: { maxTicksLimit: 8, callback: function (v, i) { var d = new Date(points[i]); return d.toISOString().slice(5, 16).replace('T', ' '); } } }; }

  function load() {
    if (!key) { document.getElementById('keyform').style.display = 'block'; return; }
    document.body.dataset.ready = 'false';
    document.getElementById('status').textContent = 'Loading…';
    var r = range(); var model = document.getElementById('model').value;
    Promise.all([get('volume', r, { bucket: r.bucket }), get('responses', r), get('attribution', r, { model: model }), get('timing', r), get('roi', r, { model: model })])
      .then(function (all) { render(all[0], all[1], all[2], all[3], all[4]); })
      .catch(function (err) {
        var box = document.getElementById('error'); box.style.display = 'block'; box.textContent = String(err.message || err);
        document.body.dataset.error = 'true'; document.getElementById('status').textContent = '';
        if (!localStorage.getItem('kairos.reportsKey')) { key = null; document.getElementById('keyform').style.display = 'block'; }
      });
  }

  function render(volume, responses, attribution, timing, roi) {
    var labels = (volume.triggers[0] || volume.events[0] || { points: [] }).points.map(function (p) { return p.at; });
    var fired = volume.triggers.reduce(function (s, t) { return s + t.total; }, 0);
    var anomalies = volume.triggers.concat(volume.events).reduce(function (s, t) { return s + t.anomalies; }, 0);
    var deliveries = responses.rows.reduce(function (s, x) { return s + x.deliveries; }, 0);
    var opened = responses.rows.reduce(function (s, x) { return s + x.opened; }, 0);
    var conversions = attribution.triggers.reduce(function (s, x) { return s + x.conversions; }, 0);
    setKpi('fired', fmt(fired)); setKpi('messages', fmt(roi.totals.messages)); setKpi('openRate', deliveries ? pct(opened / deliveries) : '–');
    setKpi('conversions', fmt(conversions, 1)); setKpi('revenue', money(roi.totals.revenue)); setKpi('cost', money(roi.totals.cost));
    setKpi('roi', roi.totals.roi === null ? '–' : fmt(roi.totals.roi * 100, 0) + '%'); setKpi('anomalies', fmt(anomalies));
    document.querySelector('[data-kpi="anomalies"]').className = 'value' + (anomalies ? ' anomaly' : '');

    draw('chart-triggers', { type: 'line', data: { labels: labels, datasets: lineSeries(volume.triggers).map(function (d) { d.data = d.data.map(function (p) { return p.y; }); return d; }) }, options: { scales: { x: timeAxis(labels), y: { beginAtZero: true } } } });
    draw('chart-events', { type: 'line', data: { labels: labels, datasets: lineSeries(volume.events).map(function (d) { d.data = d.data.map(function (p) { return p.y; }); return d; }) }, options: { scales: { x: timeAxis(labels), y: { beginAtZero: true } } } });

    var rl = responses.rows.map(function (x) { return x.triggerId + ' · ' + x.channel + (x.variant ? ' · ' + x.variant : ''); });
    draw('chart-responses', { type: 'bar', data: { labels: rl, datasets: [
      { label: 'open rate %', backgroundColor: COLORS[0], data: responses.rows.map(function (x) { return x.openRate.rate === null ? 0 : +(x.openRate.rate * 100).toFixed(2); }) },
      { label: 'click rate %', backgroundColor: COLORS[1], data: responses.rows.map(function (x) { return x.clickRate.rate === null ? 0 : +(x.clickRate.rate * 100).toFixed(2); }) }
    ] }, options: { scales: { y: { beginAtZero: true, title: { display: true, text: '%' } } } } });

    var lifts = attribution.lift;
    draw('chart-lift', { type: 'bar', data: { labels: lifts.map(function (l) { return l.triggerId; }), datasets: [
      { label: 'treated %', backgroundColor: COLORS[0], data: lifts.map(function (l) { return l.treated.converted.rate === null ? 0 : +(l.treated.converted.rate * 100).toFixed(2); }) },
      { label: 'holdout %', backgroundColor: '#9ca3af', data: lifts.map(function (l) { return l.holdout && l.holdout.converted.rate !== null ? +(l.holdout.converted.rate * 100).toFixed(2) : 0; }) }
    ] }, options: { scales: { y: { beginAtZero: true } } } });
    table('table-lift', ['trigger', 'treated', 'holdout', 'lift', 'incremental revenue'], lifts.map(function (l) {
      return [l.triggerId, fmt(l.treated.converted.x) + '/' + fmt(l.treated.matches) + ' (' + pct(l.treated.converted.rate) + ')',
        l.holdout ? fmt(l.holdout.converted.x) + '/' + fmt(l.holdout.matches) + ' (' + pct(l.holdout.converted.rate) + ')' : 'no holdout',
        l.lift.relative === null ? '–' : (l.lift.relative >= 0 ? '+' : '') + (l.lift.relative * 100).toFixed(1) + '%', money(l.incrementalRevenue)];
    }));

    var arms = []; timing.triggers.forEach(function (t) { t.variants.forEach(function (v) { arms.push({ label: t.triggerId + ' · ' + v.variant + (v.delay ? ' (' + v.delay + ')' : ''), v: v }); }); });
    draw('chart-timing', { type: 'bar', data: { labels: arms.map(function (a) { return a.label; }), datasets: [
      { label: '95% interval %', backgroundColor: 'rgba(37,99,235,0.25)', data: arms.map(function (a) { var c = a.v.conversionRate; return c.low === null ? null : [+(c.low * 100).toFixed(2), +(c.high * 100).toFixed(2)]; }) },
      { type: 'line', label: 'conversion rate %', showLine: false, pointRadius: 5, borderColor: COLORS[2], backgroundColor: COLORS[2], data: arms.map(function (a) { var c = a.v.conversionRate; return c.rate === null ? null : +(c.rate * 100).toFixed(2); }) }
    ] }, options: { scales: { x: { stacked: false }, y: { beginAtZero: true } } } });

    draw('chart-roi', { type: 'bar', data: { labels: roi.triggers.map(function (t) { return t.triggerId; }), datasets: [
      { label: 'revenue', backgroundColor: COLORS[1], data: roi.triggers.map(function (t) { return t.revenue; }) },
      { label: 'cost', backgroundColor: COLORS[5], data: roi.triggers.map(function (t) { return t.cost; }) }
    ] }, options: { scales: { y: { beginAtZero: true } } } });
    table('table-roi', ['trigger', 'messages', 'cost', 'revenue', 'ROI'], roi.triggers.map(function (t) {
      var m = Object.keys(t.messages).map(function (c) { return c + ' ' + t.messages[c]; }).join(', ');
      return [t.triggerId, m, money(t.cost), money(t.revenue), t.roi === null ? '–' : fmt(t.roi * 100) + '%'];
    }));

    document.getElementById('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · ' + volume.from.slice(0, 16) + ' → ' + volume.to.slice(0, 16) + ' UTC';
    document.getElementById('error').style.display = 'none';
    // The model panel (models.js) shows the lift of the triggers reading a score, same range and model.
    document.dispatchEvent(new CustomEvent('kairos:reports', { detail: { attribution: attribution } }));
    document.body.dataset.ready = 'true';
  }

  document.getElementById('keyform').addEventListener('submit', function (e) {
    e.preventDefault(); key = document.getElementById('key').value.trim(); if (!key) return;
    localStorage.setItem('kairos.reportsKey', key); document.getElementById('keyform').style.display = 'none'; load();
  });
  document.getElementById('refresh').addEventListener('click', load);
  document.getElementById('range').addEventListener('change', load);
  document.getElementById('model').addEventListener('change', load);
  load();
})();
`;
