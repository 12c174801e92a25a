// Rate limits (ratelimit-service, spec 001): keys, their token-bucket limits, and allowed/throttled checks over time.
import { request } from '../api.js';
import {
  announce, clear, errorBox, facts, field, h, markSelected, newestOnly, openDialog, pager, secretBox, select,
  statusBadge, table, time,
} from '../dom.js';
import { timeChart } from '../chart.js';

const RANGES = {
  hour: { label: 'Last hour', span: 3600000, granularity: 'minute' },
  day: { label: 'Last 24 hours', span: 86400000, granularity: 'hour' },
};
const PAGE_SIZE = 20;

export async function render(container, { params }) {
  const state = { page: 0, selected: params.get('key') };
  const listEl = h('div', { id: 'rl-keys' });
  const detailEl = h('div', { id: 'rl-detail', class: 'panel', hidden: true });
  const create = h('button', { type: 'button', class: 'primary', id: 'rl-create', text: 'Create key' });
  container.append(
    h('h1', { text: 'Rate limits' }),
    h('p', { class: 'muted', text: 'Keys of the rate-limit service: each has a token bucket (tokens per second, burst capacity) that POST /v1/check spends.' }),
    h('div', { class: 'toolbar' }, create),
    h('div', { class: 'split' }, listEl, detailEl));

  const loads = newestOnly();
  const details = newestOnly();
  async function load() {
    const current = loads();
    let answer;
    try {
      answer = await request('/v1/api-keys', { query: { page: state.page, size: PAGE_SIZE } });
    } catch (error) {
      if (current()) {
        clear(listEl).append(errorBox(error.status === 401
          ? { message: 'The rate-limit service accepts a tenant administrator\'s sign-in (client id and secret), not an API key.' }
          : error));
      }
      return;
    }
    if (!current()) return;
    clear(listEl);
    const total = Number(answer.headers.get('X-Total-Count') || answer.data.length);
    listEl.append(
      table({
        id: 'rl-table', caption: 'Keys', rows: answer.data, rowId: (k) => k.keyId, selectedId: state.selected,
        onSelect: (k, tr) => { markSelected(tr); showDetail(k.keyId); },
        empty: 'No keys yet.',
        columns: [
          { label: 'Name', value: (k) => k.name },
          { label: 'Key id', value: (k) => h('code', { text: k.keyId }) },
          { label: 'Status', value: (k) => statusBadge(k.status) },
          { label: 'Created', value: (k) => time(k.createdAt) },
        ],
      }),
      pager({
        page: state.page + 1, totalPages: Math.ceil(total / PAGE_SIZE), totalItems: total, label: 'keys',
        onPage: (page) => { state.page = page - 1; load(); },
      }));
  }

  async function showDetail(keyId) {
    state.selected = keyId;
    detailEl.hidden = false;
    const current = details();
    let key;
    try {
      key = (await request(`/v1/api-keys/${encodeURIComponent(keyId)}`)).data;
    } catch (error) {
      if (current()) clear(detailEl).append(errorBox(error));
      return;
    }
    if (!current()) return;
    clear(detailEl);
    const tps = h('input', { type: 'number', id: 'rl-tps', min: 1, max: 1000000, value: String(key.limits.tokensPerSecond), required: true });
    const burst = h('input', { type: 'number', id: 'rl-burst', min: 1, max: 10000000, value: String(key.limits.burstCapacity), required: true });
    const problem = h('div');
    const save = h('button', { type: 'submit', class: 'primary', id: 'rl-save', text: 'Save limits' });
    const form = h('form', { id: 'rl-limits-form', novalidate: true },
      h('h3', { text: 'Limits (token bucket)' }),
      h('div', { class: 'toolbar' }, field('Tokens per second', tps), field('Burst capacity', burst), save), problem);
    const keyValue = h('div', {}, h('button', {
      type: 'button', id: 'rl-show-key', text: 'Show the key',
      on: { click: () => { clear(keyValue); keyValue.append(secretBox(key.apiKey, 'The rate-limit key', 'rl-key-value')); } },
    }));
    const range = select(Object.entries(RANGES).map(([k, r]) => [k, r.label]), 'hour', { id: 'rl-range' });
    const chartEl = h('div', { id: 'rl-chart-area' });
    const refresh = h('button', { type: 'button', id: 'rl-refresh', text: 'Refresh' });
    detailEl.append(
      h('h2', { text: key.name }),
      facts([
        ['Key id', h('code', { text: key.keyId })],
        ['Key', keyValue],
        ['Status', statusBadge(key.status)],
        ['Description', key.description],
        ['Allowed checks', h('span', { id: 'rl-allowed-total', text: String(key.metricsSummary.allowedCount) })],
        ['Throttled checks', h('span', { id: 'rl-throttled-total', text: String(key.metricsSummary.throttledCount) })],
        ['Last check', h('span', { id: 'rl-last-check' }, time(key.metricsSummary.lastRequestAt) ?? '—')],
      ]),
      form,
      h('h3', { text: 'Checks over time' }),
      h('div', { class: 'toolbar' }, field('Time range', range), refresh),
      chartEl);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clear(problem);
      save.disabled = true;
      try {
        const limits = (await request(`/v1/api-keys/${encodeURIComponent(keyId)}/limits`, {
          method: 'PUT', body: { algorithm: 'token_bucket', tokensPerSecond: Number(tps.value), burstCapacity: Number(burst.value) },
        })).data;
        announce(`Limits saved: ${limits.tokensPerSecond} per second, burst ${limits.burstCapacity}`);
        form.dataset.saved = `${limits.tokensPerSecond}/${limits.burstCapacity}`;
      } catch (error) {
        problem.append(errorBox(error));
      } finally {
        save.disabled = false;
      }
    });
    const charts = newestOnly();
    const loadChart = async () => {
      const currentChart = charts();
      const r = RANGES[range.value];
      const to = new Date();
      const from = new Date(to.getTime() - r.span);
      try {
        const [metrics, fresh] = await Promise.all([
          request(`/v1/api-keys/${encodeURIComponent(keyId)}/metrics`, {
            query: { from: from.toISOString(), to: to.toISOString(), granularity: r.granularity },
          }),
          request(`/v1/api-keys/${encodeURIComponent(keyId)}`),
        ]);
        if (!currentChart()) return;
        clear(chartEl);
        detailEl.querySelector('#rl-allowed-total').textContent = String(fresh.data.metricsSummary.allowedCount);
        detailEl.querySelector('#rl-throttled-total').textContent = String(fresh.data.metricsSummary.throttledCount);
        const lastCheck = time(fresh.data.metricsSummary.lastRequestAt);
        clear(detailEl.querySelector('#rl-last-check')).append(lastCheck ?? '—');
        chartEl.append(timeChart({
          id: 'rl-chart', kind: 'bars', title: `Allowed and throttled checks per ${r.granularity}`,
          series: [{ name: 'Allowed' }, { name: 'Throttled' }],
          points: metrics.data.timeSeries.map((p) => ({ t: p.timestamp, values: [p.allowed, p.throttled] })),
        }));
      } catch (error) {
        if (currentChart()) clear(chartEl).append(errorBox(error));
      }
    };
    range.addEventListener('change', loadChart);
    refresh.addEventListener('click', loadChart);
    await loadChart();
  }

  create.addEventListener('click', () => {
    const name = h('input', { id: 'rl-new-name', maxLength: 200, required: true });
    const description = h('input', { id: 'rl-new-description', maxLength: 2000 });
    const problem = h('div');
    openDialog({
      title: 'Create a rate-limit key', id: 'rl-create-dialog', closeLabel: 'Cancel',
      body: h('div', {}, field('Name', name), field('Description (optional)', description), problem),
      actions: [{
        label: 'Create', kind: 'primary', id: 'rl-create-submit',
        onClick: async () => {
          clear(problem);
          try {
            const body = { name: name.value };
            if (description.value.trim()) body.description = description.value;
            const created = (await request('/v1/api-keys', { method: 'POST', body })).data;
            announce(`Key ${created.name} created with ${created.limits.tokensPerSecond} per second, burst ${created.limits.burstCapacity}`);
            await load();
            showDetail(created.keyId);
            return true;
          } catch (error) {
            problem.append(errorBox(error));
            return false;
          }
        },
      }],
    });
  });

  await load();
  if (state.selected) await showDetail(state.selected);
}
