// Overview: the health of the gateway's dependencies and every service, and the traffic of the request log.
import { get } from '../api.js';
import { clear, errorBox, field, h, newestOnly, select, statusBadge, table } from '../dom.js';
import { everyPeriod, timeChart } from '../chart.js';

const RANGES = {
  hour: { label: 'Last hour', period: 'minute', span: 3600000, step: 60000 },
  day: { label: 'Last 24 hours', period: 'hour', span: 86400000, step: 3600000 },
  week: { label: 'Last 7 days', period: 'day', span: 7 * 86400000, step: 86400000 },
};

const percent = (v) => `${Math.round(v * 10) / 10}%`;

export async function render(container) {
  const healthEl = h('section', { 'aria-labelledby': 'health-title' }, h('h2', { id: 'health-title', text: 'Health' }));
  const trafficEl = h('div');
  const rangeSelect = select(Object.entries(RANGES).map(([k, r]) => [k, r.label]), 'hour', { id: 'traffic-range' });
  const refresh = h('button', { type: 'button', text: 'Refresh', id: 'overview-refresh' });
  container.append(h('h1', { text: 'Overview' }), h('div', { class: 'overview' }, healthEl,
    h('section', { 'aria-labelledby': 'traffic-title' },
      h('h2', { id: 'traffic-title', text: 'Traffic' }),
      h('div', { class: 'toolbar' }, field('Time range', rangeSelect), refresh),
      trafficEl)));

  const loads = newestOnly();
  const load = () => {
    const current = loads();
    return Promise.all([loadHealth(healthEl, current), loadTraffic(trafficEl, RANGES[rangeSelect.value], current)]);
  };
  rangeSelect.addEventListener('change', load);
  refresh.addEventListener('click', load);
  await load();
}

async function loadHealth(section, current) {
  const [ready, services] = await Promise.allSettled([
    fetchJson('/health/ready'), fetchJson('/health/services'),
  ]);
  if (!current()) return;
  for (const old of section.querySelectorAll('.health-body')) old.remove();
  const body = h('div', { class: 'health-body' });
  section.append(body);
  if (ready.status === 'fulfilled') {
    body.append(h('p', {}, 'Gateway readiness: ', statusBadge(ready.value.status || 'unknown')));
  } else {
    body.append(errorBox(ready.reason));
  }
  const rows = [];
  const seen = new Set();
  if (services.status === 'fulfilled' && services.value.services) {
    for (const [name, state] of Object.entries(services.value.services)) {
      rows.push({ name, state });
      seen.add(name);
    }
  }
  if (ready.status === 'fulfilled') {
    for (const [name, state] of Object.entries(ready.value.checks || {})) {
      if (!seen.has(name)) rows.unshift({ name, state });
    }
  }
  body.append(table({
    id: 'health-table',
    caption: 'Dependencies and services',
    columns: [
      { label: 'Name', value: (r) => r.name },
      { label: 'State', value: (r) => statusBadge(r.state) },
    ],
    rows,
    rowId: (r) => r.name,
  }));
}

async function fetchJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'omit' });
  const body = await response.json();
  return body && body.success && body.data ? body.data : body;
}

async function loadTraffic(el, range, current) {
  const end = new Date();
  const start = new Date(end.getTime() - range.span);
  let stats;
  try {
    stats = await get('/api/v1/requests/stats', {
      period: range.period, startDate: start.toISOString(), endDate: end.toISOString(),
    });
  } catch (error) {
    if (current()) clear(el).append(errorBox(error));
    return;
  }
  if (!current()) return;
  clear(el);
  const s = stats.summary;
  const share = (part, whole) => (whole ? (100 * part) / whole : 0);
  el.append(h('div', { class: 'tiles', id: 'traffic-summary' },
    tile('Requests', s.totalRequests, 'total-requests'),
    tile('Error rate', percent(share(s.failedRequests, s.totalRequests)), 'error-rate'),
    tile('Rate-limited', percent(share(s.rateLimitedRequests, s.totalRequests)), 'rate-limited-share'),
    tile('Average duration', `${s.avgDurationMs} ms`, 'avg-duration'),
    tile('95th percentile', `${s.p95DurationMs} ms`, 'p95-duration')));
  const perPeriod = `per ${range.period}`;
  const points = everyPeriod(stats.timeSeries, start, end, range.step, (p) => (p
    ? [p.requests, p.errors, p.rateLimited || 0] : [0, 0, 0]));
  el.append(h('div', { class: 'charts' },
    timeChart({
      id: 'chart-requests', title: `Requests ${perPeriod}`, series: [{ name: 'Requests' }, { name: 'Errors (4xx and 5xx)' }],
      points: points.map((p) => ({ t: p.t, values: [p.values[0], p.values[1]] })),
    }),
    timeChart({
      id: 'chart-error-rate', title: 'Error rate', series: [{ name: 'Errors' }], format: percent, max: 100,
      points: points.map((p) => ({ t: p.t, values: [share(p.values[1], p.values[0])] })),
    }),
    timeChart({
      id: 'chart-rate-limited', title: 'Rate-limited share', series: [{ name: 'Rate-limited (429)' }], format: percent, max: 100,
      points: points.map((p) => ({ t: p.t, values: [share(p.values[2], p.values[0])] })),
    })));
}

function tile(label, value, id) {
  return h('div', { class: 'tile', id }, h('div', { class: 'value', text: value }), h('div', { class: 'label', text: label }));
}
