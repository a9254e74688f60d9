// The page of `calkit serve`: plain HTML, CSS and a little JavaScript, no framework, no request
// outside this server. It only calls the server's /api (serve/app_server.cpp).
#include "serve/app_server.hpp"

namespace calkit {

const char* app_page_html() {
  return R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>calkit</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
:root{--bg:#16181c;--panel:#20232a;--text:#e6e6e6;--dim:#9aa0a6;--ok:#5cb85c;--bad:#e0675f;--accent:#6ea8fe}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,sans-serif}
header{padding:12px 20px;border-bottom:1px solid #333;display:flex;gap:24px;align-items:baseline}
header h1{font-size:20px;margin:0}header nav a{color:var(--accent);margin-right:16px;text-decoration:none}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;padding:16px 20px}
section{background:var(--panel);border-radius:8px;padding:14px 16px}h2{font-size:16px;margin:0 0 10px}
label{display:block;color:var(--dim);font-size:13px;margin-top:8px}select,input{width:100%;padding:6px;background:#111;color:var(--text);border:1px solid #444;border-radius:4px}
button{margin-top:10px;padding:7px 14px;background:#2d6cdf;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#444}.row{display:flex;gap:8px;flex-wrap:wrap}.big{font-size:28px;font-variant-numeric:tabular-nums}
a{color:var(--accent)}.dim{color:var(--dim)}.ok{color:var(--ok)}.bad{color:var(--bad)}table{width:100%;border-collapse:collapse}
td,th{text-align:left;padding:6px 4px;border-bottom:1px solid #333;font-size:13px;vertical-align:middle}
.bar{height:8px;background:#333;border-radius:4px;overflow:hidden;min-width:90px}.bar>div{height:100%;background:var(--accent)}
.swatch{display:inline-block;width:22px;height:22px;border:1px solid #555;border-radius:3px;vertical-align:middle}
#meter-guidance li{margin:2px 0}svg{background:#111;border-radius:4px}
</style></head><body>
<header><h1>calkit</h1><nav><a href="#setup">Setup</a><a href="#meter">Live meter</a><a href="#runs">Runs</a></nav>
<span class="dim" id="warning"></span></header>
<main>
<section id="setup"><h2>Setup</h2>
<label for="probe">Probe</label><select id="probe"></select>
<label for="display">Display (simulated; empty for a real screen)</label><select id="display"></select>
<label for="pattern">Pattern generator (real probes; web: a browser window shows the patches)</label><select id="pattern"></select>
<label for="target">Target</label><select id="target"></select>
<label for="patches">Profiling patches</label><input id="patches" type="number" min="20" max="20000" value="1000">
<label for="sim-speed">Simulated rigs: times real time (0: as fast as possible)</label><input id="sim-speed" type="number" min="0" max="10000" value="100">
<div class="row"><button id="meter-start">Start the live meter</button><button id="run-start">Calibrate</button></div>
<p class="dim" id="setup-note"></p>
</section>
<section id="meter"><h2>Live meter <span class="dim" id="meter-state">(stopped)</span></h2>
<div class="big"><span id="meter-nits">–</span> <span class="dim" style="font-size:15px">cd/m²</span></div>
<div>xy <span id="meter-xy">–</span> · CCT <span id="meter-cct">–</span> · Duv <span id="meter-duv">–</span> ·
Δu′v′ <span id="meter-duv-target">–</span> · reading <span id="meter-count">0</span></div>
<ul id="meter-guidance"></ul>
<svg id="meter-plot" width="100%" height="90" viewBox="0 0 600 90" preserveAspectRatio="none"><polyline id="meter-line" fill="none" stroke="#6ea8fe" stroke-width="2" points=""/></svg>
<div class="row" id="sim-keys"><span class="dim">Simulated display menu:</span>
<button class="secondary" data-key="l">light −</button><button class="secondary" data-key="L">light +</button>
<button class="secondary" data-key="r">red −</button><button class="secondary" data-key="g">green −</button>
<button class="secondary" data-key="b">blue −</button><button class="secondary" id="meter-stop">Stop</button></div>
</section>
<section id="runs" style="grid-column:1/-1"><h2>Runs</h2>
<table><thead><tr><th>run</th><th>status</th><th>stage</th><th>progress</th><th>ETA</th><th>patch</th><th>reading</th><th>results</th><th></th></tr></thead>
<tbody id="run-rows"></tbody></table>
<p class="dim">History: <span id="history-links"></span></p>
</section>
</main>
<script>
const $ = id => document.getElementById(id);
async function api(path, body) {
  const r = await fetch(path, body === undefined ? {} : {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const j = await r.json();
  if (!r.ok) { $('warning').textContent = j.error || r.statusText; throw new Error(j.error); }
  $('warning').textContent = '';
  return j;
}
function fill(select, values, blank) {
  select.innerHTML = (blank ? '<option value=""></option>' : '') + values.map(v => '<option>' + v + '</option>').join('');
}
function setup() {
  return {probe: $('probe').value, display: $('display').value, pattern: $('pattern').value,
          target: $('target').value, patches: Number($('patches').value), sim_speed: Number($('sim-speed').value)};
}
const fmt = (v, d) => v === null || v === undefined ? '–' : Number(v).toFixed(d);
let plot = [];
function onReading(r) {
  $('meter-state').textContent = r.close_enough ? '(close enough)' : '(adjusting)';
  $('meter-nits').textContent = fmt(r.white.nits, 2);
  $('meter-xy').textContent = fmt(r.white.xy[0], 4) + ' ' + fmt(r.white.xy[1], 4);
  $('meter-cct').textContent = r.white.cct_k ? fmt(r.white.cct_k, 0) + ' K' : '–';
  $('meter-duv').textContent = fmt(r.white.duv, 4);
  $('meter-duv-target').textContent = fmt(r.white.delta_uv, 4);
  $('meter-count').textContent = r.reading;
  $('meter-guidance').innerHTML = r.close_enough ? '<li class="ok">✓ close enough</li>' :
    r.steps.map(s => '<li>' + (s.change < 0 ? '↓ lower ' : '↑ raise ') + s.control + ' by ' + fmt(Math.abs(s.change) * 100, 1) + ' %</li>').join('');
  plot.push({t: Date.now(), y: r.white.nits});
  plot = plot.filter(p => p.t > Date.now() - 60000);
  const max = Math.max(...plot.map(p => p.y)) * 1.1 || 1;
  $('meter-line').setAttribute('points', plot.map(p => (600 - (Date.now() - p.t) / 100) + ',' + (90 - p.y / max * 85)).join(' '));
}
let events = null;
$('meter-start').onclick = async () => {
  await api('api/meter/start', setup());
  if (!events) { events = new EventSource('api/meter/events'); events.onmessage = e => onReading(JSON.parse(e.data)); }
  $('meter-state').textContent = '(starting)';
};
$('meter-stop').onclick = async () => { await api('api/meter/stop', {}); $('meter-state').textContent = '(stopped)'; };
document.querySelectorAll('[data-key]').forEach(b => b.onclick = () => api('api/meter/keys', {keys: b.dataset.key}));
$('run-start').onclick = async () => { await api('api/meter/stop', {}); await api('api/runs', setup()); refresh(); };
function eta(run) {
  if (run.status !== 'running' || !(run.progress > 0.02) || !run.started) return '';
  const elapsed = (Date.now() - Date.parse(run.started)) / 1000;
  return Math.max(0, Math.round(elapsed * (1 - run.progress) / run.progress)) + ' s';
}
function swatch(rgb) {
  return rgb ? '<span class="swatch" style="background:rgb(' + rgb.map(v => Math.round(Math.min(1, Math.max(0, v)) * 255)).join(',') + ')"></span>' : '';
}
async function refresh() {
  const runs = await api('api/runs');
  $('run-rows').innerHTML = runs.map(r => '<tr class="run" data-id="' + r.id + '">' +
    '<td>' + r.id + '<div class="dim">' + (r.setup.display || r.setup.probe) + ' · ' + r.setup.target + '</div></td>' +
    '<td class="status ' + (r.status === 'finished' ? 'ok' : r.status === 'failed' ? 'bad' : '') + '">' + r.status + '</td>' +
    '<td>' + r.stage + (r.total ? ' ' + r.done + '/' + r.total : '') + '</td>' +
    '<td><div class="bar"><div style="width:' + (r.progress * 100).toFixed(1) + '%"></div></div><span class="progress">' + (r.progress * 100).toFixed(1) + '</span> %</td>' +
    '<td>' + eta(r) + '</td><td>' + swatch(r.rgb) + '</td>' +
    '<td>' + (r.XYZ ? 'Y ' + fmt(r.XYZ[1], 3) : '') + '</td>' +
    '<td>' + r.files.map(f => '<a class="file" href="runs/' + r.id + '/' + f + '" target="_blank">' + f + '</a>').join('<br>') + '</td>' +
    '<td>' + (r.status === 'running' ? '<button class="secondary cancel">Cancel</button>' :
             r.status === 'interrupted' ? '<button class="resume">Resume</button>' : '') + '</td></tr>').join('');
  document.querySelectorAll('tr.run .cancel').forEach(b => b.onclick = () => api('api/runs/' + b.closest('tr').dataset.id + '/cancel', {}));
  document.querySelectorAll('tr.run .resume').forEach(b => b.onclick = () => api('api/runs/' + b.closest('tr').dataset.id + '/resume', {}).then(refresh));
}
(async () => {
  const o = await api('api/options');
  fill($('probe'), o.probes); fill($('display'), o.displays, true); fill($('pattern'), o.patterns, true); fill($('target'), o.targets);
  $('history-links').innerHTML = o.displays.map(d => '<a href="history?display=' + encodeURIComponent(d) + '" target="_blank">' + d + '</a>').join(' · ');
  $('setup-note').textContent = 'A simulated probe reads a simulated display; a real probe reads the screen a pattern generator drives. The web pattern generator paints 8-bit sRGB values in a browser window (docs/patterns.md).';
  refresh(); setInterval(refresh, 400);
})();
</script></body></html>)HTML";
}

}  // namespace calkit
