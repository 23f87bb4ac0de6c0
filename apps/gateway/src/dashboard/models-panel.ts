/**
 * The dashboard's model panel (docs/models.md, docs/api.md §12): per model, the current card,
 * the distribution of stored scores, and the expected true and false positives above a chosen
 * threshold (scores are calibrated probabilities, so the sum of the scores above it is the
 * expected number of customers who reach the target). Below, the measured outcome of each trigger
 * reading the score: its treated-vs-holdout conversion, taken from the attribution report the
 * page's app.js loaded (event `kairos:reports`, same range and attribution model), not fetched
 * again. Reads GET /v1/models with the page's key; it sets `data-models-ready="true"` on <body>
 * when the models are drawn (the outcome is complete once `data-ready` is set too).
 */
export const MODELS_PANEL_HTML = `<section class="card" id="models-panel"><h2>Predictive models</h2>
  <p class="note">Scores of the current version; drag the threshold to see whom a score trigger would reach.</p>
  <label>Model <select id="models-select"></select></label>
  <label>Threshold <input id="models-threshold" type="range" min="0.05" max="0.95" step="0.05" value="0.7"> <span id="models-threshold-value">0.70</span></label>
  <div class="chart"><canvas id="chart-models"></canvas></div><table id="table-models"></table>
  <h3>Outcome: fired and treated vs held out</h3>
  <p class="note">Matches of the triggers on this score in the range: conversion of those not held out (sent or not) against the holdout, as in the attribution report.</p>
  <table id="table-models-outcome"></table></section>`;

export const MODELS_PANEL_JS = `'use strict';
(function () {
  var chart = null; var models = null; var lifts = null;
  function pct(r) { return r === null || r === undefined || isNaN(r) ? '–' : (r * 100).toFixed(1) + '%'; }
  function fmt(n, d) { return Number(n).toLocaleString('en-US', { maximumFractionDigits: d || 0 }); }
  function pp(d) { return (d >= 0 ? '+' : '−') + Math.abs(d * 100).toFixed(1); }
  function table(rows, id, head) {
    var t = document.getElementById(id || 'table-models'); t.textContent = '';
    if (head) { var tr = t.insertRow(); head.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; tr.appendChild(th); }); }
    rows.forEach(function (r) { var row = t.insertRow(); r.forEach(function (c) { row.insertCell().textContent = c; }); });
  }
  function arm(a) { return a ? fmt(a.converted.x) + '/' + fmt(a.matches) + ' (' + pct(a.converted.rate) + ')' : 'no holdout'; }
  function outcomeRow(t) {
    var goal = t.conversion ? t.conversion.event + ' within ' + t.conversion.window + (typeof t.conversion.window === 'number' ? ' ms' : '') : 'no conversion goal';
    var head = [t.triggerId, goal, pct(t.holdout)];
    if (!t.conversion) return head.concat(['–', '–', '–', '–']);
    if (!lifts) return head.concat(['–', 'reports not loaded', '–', '–']);
    var l = lifts.find(function (x) { return x.triggerId === t.triggerId; });
    if (!l) return head.concat(['0', 'did not fire in the range', '–', '–']);
    var d = l.lift;
    return head.concat([fmt(l.treated.matches + (l.holdout ? l.holdout.matches : 0)), arm(l.treated), arm(l.holdout),
      d.difference === null ? '–' : pp(d.difference) + ' pp (' + pp(d.low) + ' to ' + pp(d.high) + ')']);
  }
  function outcome(m) {
    var rows = m ? m.triggers.map(outcomeRow) : [];
    if (m && !rows.length) rows = [['no enabled trigger reads this score', '', '', '', '', '', '']];
    table(rows, 'table-models-outcome', ['trigger', 'goal', 'held out', 'fired', 'treated converted', 'holdout converted', 'difference (95%)']);
  }
  function draw() {
    if (!models) return;
    var m = models[document.getElementById('models-select').selectedIndex];
    var threshold = Number(document.getElementById('models-threshold').value);
    document.getElementById('models-threshold-value').textContent = threshold.toFixed(2);
    outcome(m);
    if (!m) { table([['no model is defined or trained yet', '']]); document.body.dataset.modelsReady = 'true'; return; }
    var above = m.distribution.filter(function (b) { return b.from >= threshold - 1e-9; });
    var n = above.reduce(function (s, b) { return s + b.customers; }, 0);
    var tp = above.reduce(function (s, b) { return s + b.expectedPositives; }, 0);
    var current = m.versions.find(function (v) { return v.status === 'current'; });
    var h = current ? current.card.holdout : null;
    if (chart) chart.destroy();
    chart = new Chart(document.getElementById('chart-models'), { type: 'bar', data: {
      labels: m.distribution.map(function (b) { return b.from.toFixed(2); }),
      datasets: [{ label: 'customers by score', data: m.distribution.map(function (b) { return b.customers; }),
        backgroundColor: m.distribution.map(function (b) { return b.from >= threshold - 1e-9 ? '#dc2626' : '#9ca3af'; }) }]
    }, options: { scales: { y: { beginAtZero: true } } } });
    table([
      ['version', current ? 'v' + current.version + ' of ' + m.versions.length + ', trained ' + current.trainedAt.slice(0, 16).replace('T', ' ') : 'not trained yet'],
      ['holdout', h ? fmt(h.customers) + ' customers, base rate ' + pct(h.baseRate) + ', AUC ' + h.auc.toFixed(3) + ', lift at top 10% ' + h.liftAtTop10.toFixed(2) : '–'],
      ['at ≥ ' + threshold.toFixed(2), fmt(n) + ' customers'],
      ['expected true positives', fmt(tp, 1) + ' (precision ' + pct(n ? tp / n : NaN) + ')'],
      ['expected false positives', fmt(n - tp, 1)]
    ]);
    document.body.dataset.modelsReady = 'true';
  }
  function load() {
    var key = localStorage.getItem('kairos.reportsKey'); if (!key) return;
    fetch('/v1/models', { headers: { authorization: 'Bearer ' + key } }).then(function (res) {
      if (!res.ok) throw new Error('GET /v1/models answered ' + res.status);
      return res.json();
    }).then(function (body) {
      models = body.models; var select = document.getElementById('models-select'); var was = select.value; select.textContent = '';
      models.forEach(function (m) { var o = document.createElement('option'); o.value = m.id; o.textContent = m.id; select.appendChild(o); });
      if (was) select.value = was;
      draw();
    }).catch(function (err) { table([[String(err.message || err), '']]); });
  }
  document.addEventListener('kairos:reports', function (e) { lifts = e.detail.attribution.lift; if (models) draw(); });
  document.getElementById('models-select').addEventListener('change', draw);
  document.getElementById('models-threshold').addEventListener('input', draw);
  document.getElementById('refresh').addEventListener('click', load);
  document.getElementById('keyform').addEventListener('submit', function () { setTimeout(load, 0); });
  load();
})();
`;
