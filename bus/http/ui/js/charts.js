// History: documents accepted, delivered, rejected (by type) and dead-lettered, per minute over
// the last hour and per hour over the last week, for the province or one agency; drawn with
// Chart.js (Debian's libjs-chart.js, served by the bus at /vendor/chart.js).
import { api, $, q } from './api.js';
import { language, t } from './i18n.js';
import { agencyLabel } from './agencies.js';

const charts = {};
let scope = '';  // '' = the province
const colours = { accepted: '#1f6fb2', delivered: '#2e8b57', dead_lettered: '#b00020' };
const rejectColours = ['#e07b00', '#8e44ad', '#c0392b', '#7f8c8d', '#d35400'];

function datasets(series) {
  const out = [];
  let r = 0;
  for (const [name, values] of Object.entries(series)) {
    if (name.startsWith('latency')) { continue; }
    const rejected = name.startsWith('rejected:');
    out.push({
      label: rejected ? t('charts.rejected', { type: name.slice(9) }) : t('charts.' + name),
      data: values,
      borderColor: rejected ? rejectColours[r++ % rejectColours.length] : colours[name],
      backgroundColor: 'transparent',
      pointRadius: 0,
      borderWidth: 2,
      metric: name,
    });
  }
  return out;
}

function labels(from, step, n, range) {
  const locale = language() === 'vi' ? 'vi-VN' : 'en-GB';
  const out = [];
  for (let i = 0; i < n; i++) {
    const d = new Date(from + i * step);
    out.push(range === 'hour' ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
                              : d.toLocaleString(locale, { weekday: 'short', hour: '2-digit' }));
  }
  return out;
}

async function draw(range, canvasId) {
  const s = await api('GET', '/v1/admin/series' + q({ range, agency: scope }));
  const data = { labels: labels(s.from_ms, s.step_ms, s.buckets, range), datasets: datasets(s.series) };
  const canvas = $(canvasId);
  canvas.dataset.metrics = JSON.stringify(
      Object.fromEntries(Object.entries(s.series).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0)])));
  if (charts[range]) {
    charts[range].data = data;
    charts[range].update('none');
  } else {
    charts[range] = new window.Chart(canvas, {
      type: 'line', data,
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  return s;
}

export async function refreshCharts() {
  const scopeEl = $('chart-scope');
  scopeEl.replaceChildren();
  if (scope) {
    scopeEl.appendChild(agencyLabel(scope));
  } else {
    scopeEl.textContent = t('charts.scope_province');
  }
  scopeEl.dataset.agency = scope;
  if (!window.Chart) {
    const r = await fetch('/vendor/chart.js');
    const body = await r.json().catch(() => ({}));
    $('charts-error').textContent = t('charts.missing', { detail: body.detail || r.status });
    return;
  }
  $('charts-error').textContent = '';
  const hour = await draw('hour', 'chart-hour');
  await draw('week', 'chart-week');
  const l = hour.latency_ms;
  $('latency').textContent = l && l.samples > 0
      ? t('charts.latency', { p50: l.p50, p90: l.p90, p99: l.p99 }) : t('charts.no_latency');
}

export function showAgency(code) {
  scope = code || '';
  return refreshCharts();
}
