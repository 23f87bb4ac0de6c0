/**
 * The /studio page: static HTML. Its scripts (studio-app.ts, studio-timeline.ts) are ES modules
 * served by the gateway; Chart.js comes from the dashboard's copy of node_modules, the JSON Schema
 * validator from /studio/vendor (docs/api.md "Trigger studio"). Test hooks: `data-backtest` and
 * `data-trace` on <body> turn to "done" once the results, the chart, or the timeline are drawn.
 */
export const STUDIO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kairos — trigger studio</title>
<style>
  :root { --fg: #1f2937; --muted: #6b7280; --card: #fff; --bg: #f3f4f6; --accent: #2563eb; --bad: #dc2626; --good: #16a34a; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
  header { display: flex; gap: 12px; align-items: center; padding: 12px 20px; background: #111827; color: #fff; }
  header h1 { font-size: 18px; margin: 0; }
  header a { color: #93c5fd; font-size: 12px; }
  #status { margin-left: auto; color: #d1d5db; font-size: 12px; }
  main { padding: 16px 20px; display: grid; gap: 16px; grid-template-columns: minmax(420px, 5fr) 7fr; align-items: start; }
  .col { display: grid; gap: 16px; }
  .card { background: var(--card); border-radius: 8px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .card h2 { font-size: 15px; margin: 0 0 8px; }
  .note { color: var(--muted); margin: 4px 0 8px; font-size: 12px; }
  label { font-size: 12px; color: var(--muted); }
  input, select, button, textarea { font: inherit; padding: 4px 8px; border-radius: 4px; border: 1px solid #d1d5db; }
  button { background: var(--accent); color: #fff; border: 0; cursor: pointer; }
  button.secondary { background: #e5e7eb; color: var(--fg); }
  button:disabled { opacity: .5; cursor: default; }
  textarea { width: 100%; min-height: 420px; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; tab-size: 2; }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 6px 0; }
  #validation { margin: 8px 0 0; padding-left: 18px; font-size: 12px; }
  #validation li.error { color: var(--bad); }
  #validation li.warning { color: #b45309; }
  #validation li.ok { color: var(--good); list-style: none; margin-left: -18px; }
  .kpis { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); }
  .kpi { background: var(--card); border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .kpi .label { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
  .kpi .value { font-size: 22px; font-weight: 600; margin-top: 2px; }
  .kpi .delta { font-size: 12px; color: var(--good); }
  .chart { position: relative; height: 240px; }
  progress { width: 100%; }
  table { width: 100%; border-collapse: collapse; font-size: 12px; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e5e7eb; }
  td.num, th.num { text-align: right; }
  #samples tr[data-customer] { cursor: pointer; }
  #samples tr[data-customer]:hover { background: #eff6ff; }
  #timeline { width: 100%; height: auto; display: block; }
  #trace-entries { font-size: 12px; padding-left: 20px; max-height: 320px; overflow: auto; }
  #trace-entries .killed { color: var(--bad); }
  #trace-entries .completed { color: var(--good); }
  #keyform, #error { display: none; }
  #error { color: var(--bad); grid-column: 1 / -1; }
</style>
</head>
<body data-backtest="idle" data-trace="idle">
<header>
  <h1>Kairos · trigger studio</h1>
  <a href="/dashboard">measurement dashboard</a>
  <span id="status"></span>
  <button id="forget" class="secondary" type="button">Forget key</button>
</header>
<main>
  <form id="keyform" class="card" style="grid-column: 1 / -1">
    <h2>API key</h2>
    <p class="note">A key with <code>triggers:backtest</code> and <code>journeys:read</code> (or <code>admin</code>), for example
    <code>npm run apikey -- create --name studio --scopes triggers:backtest,journeys:read</code>. It stays in this browser's localStorage and travels only in the Authorization header.</p>
    <input id="key" type="password" size="48" autocomplete="off" placeholder="kairos_..."> <button type="submit">Open the studio</button>
  </form>
  <div id="error" class="card"></div>
  <div class="col">
    <section class="card">
      <h2>Definition</h2>
      <div class="row">
        <label for="trigger">Start from</label>
        <select id="trigger"><option value="">a new draft</option></select>
      </div>
      <textarea id="editor" spellcheck="false" aria-label="trigger definition (JSON)"></textarea>
      <ul id="validation"></ul>
    </section>
    <section class="card">
      <h2>Backtest</h2>
      <div class="row">
        <label>From <input id="from" type="datetime-local" step="60"></label>
        <label>To <input id="to" type="datetime-local" step="60"></label>
        <span class="note">UTC</span>
      </div>
      <div class="row">
        <button class="secondary" type="button" data-range="1">last day</button>
        <button class="secondary" type="button" data-range="7">last 7 days</button>
        <button class="secondary" type="button" data-range="30">last 30 days</button>
        <label>Sample <input id="sample" type="number" min="1" placeholder="all customers" style="width: 120px"></label>
      </div>
      <div class="row">
        <label><input id="compare" type="checkbox" checked> compare with the loaded version</label>
        <label><input id="policy" type="checkbox"> apply the workspace policy (caps, quiet hours, gap, consent)</label>
      </div>
      <div class="row">
        <button id="run" type="button">Run backtest</button>
        <button id="cancel" class="secondary" type="button" disabled>Cancel</button>
        <span id="run-status" class="note"></span>
      </div>
      <progress id="progress" max="1" value="0"></progress>
    </section>
  </div>
  <div class="col">
    <section class="kpis">
      <div class="kpi"><div class="label">Matches</div><div class="value" data-kpi="matches">–</div><div class="delta" data-delta="matches"></div></div>
      <div class="kpi"><div class="label">Customers matched</div><div class="value" data-kpi="customers">–</div><div class="delta" data-delta="customers"></div></div>
      <div class="kpi"><div class="label">Suppressed</div><div class="value" data-kpi="suppressed">–</div><div class="delta" data-delta="suppressed"></div></div>
      <div class="kpi"><div class="label">Events read</div><div class="value" data-kpi="events">–</div></div>
      <div class="kpi"><div class="label">Customers read</div><div class="value" data-kpi="customersRead">–</div></div>
    </section>
    <section class="card"><h2>Matches per day</h2><p class="note">Fired matches per UTC day; grey: the loaded version over the same range.</p><div class="chart"><canvas id="chart-days"></canvas></div></section>
    <section class="card"><h2>Suppressions by reason</h2><table id="suppressions"></table></section>
    <section class="card"><h2>Sample matches</h2><p class="note">Click a row for that customer's trace; "loaded version" says what the loaded trigger did for that customer.</p><table id="samples"></table></section>
    <section class="card">
      <h2>Why (or why not): one customer</h2>
      <div class="row">
        <label>Customer <input id="customer" size="28" placeholder="customer id"></label>
        <label>in <select id="trace-of" disabled><option value="draft">the draft</option><option value="loaded">the loaded version</option></select></label>
        <button id="trace" type="button" disabled>Show trace</button>
      </div>
      <p id="trace-summary" class="note"></p>
      <svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 60"></svg>
      <ol id="trace-entries"></ol>
    </section>
  </div>
</main>
<script src="/dashboard/chart.umd.js"></script>
<script type="module" src="/studio/app.js"></script>
</body>
</html>
`;
