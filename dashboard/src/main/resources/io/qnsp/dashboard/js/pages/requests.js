// Request log (audit-service, /api/v1/requests): filters, a request's detail, and a live tail.
import { request } from '../api.js';
import {
  clear, errorBox, facts, field, h, instantFromLocal, markSelected, newestOnly, pager, select, statusBadge, table, time,
} from '../dom.js';

const TAIL_INTERVAL = 2000;
const METHODS = [['', 'Any'], ['GET', 'GET'], ['POST', 'POST'], ['PUT', 'PUT'], ['PATCH', 'PATCH'], ['DELETE', 'DELETE']];

export async function render(container, { params }) {
  const state = { page: 1, selected: params.get('id') };
  const method = select(METHODS, '', { id: 'rq-method' });
  const path = h('input', { id: 'rq-path', placeholder: '/api/v1/keys', maxLength: 2048 });
  const status = h('input', { id: 'rq-status', type: 'number', min: 100, max: 599 });
  const keyId = h('input', { id: 'rq-key', placeholder: 'key_…' });
  const limited = select([['', 'Any'], ['true', 'Rate-limited'], ['false', 'Not rate-limited']], '', { id: 'rq-limited' });
  const from = h('input', { id: 'rq-from', type: 'datetime-local' });
  const to = h('input', { id: 'rq-to', type: 'datetime-local' });
  const apply = h('button', { type: 'submit', class: 'primary', text: 'Apply', id: 'rq-apply' });
  const tail = h('input', { type: 'checkbox', id: 'rq-tail' });
  const hideOwn = h('input', { type: 'checkbox', id: 'rq-hide-own', checked: true });
  const tailState = h('span', { id: 'rq-tail-state', class: 'muted', 'aria-live': 'polite' });
  const listEl = h('div', { id: 'rq-list' });
  const detailEl = h('div', { id: 'rq-detail', class: 'panel', hidden: true });
  const filters = h('form', { class: 'toolbar', id: 'rq-filters' },
    field('Method', method), field('Path prefix', path), field('Status', status), field('API key id', keyId),
    field('Rate limited', limited), field('From', from), field('To', to), apply);
  container.append(
    h('h1', { text: 'Request log' }),
    filters,
    h('div', { class: 'toolbar' },
      h('label', {}, tail, ' Live tail (new requests appear as they are logged)'),
      h('label', {}, hideOwn, ' Hide this console\'s tail polls'),
      tailState),
    h('div', { class: 'split' }, listEl, detailEl));

  const query = () => ({
    method: method.value, path: path.value.trim(), status: status.value, keyId: keyId.value.trim(),
    rateLimited: limited.value, startDate: instantFromLocal(from.value), endDate: instantFromLocal(to.value),
  });
  const ownPoll = (row) => hideOwn.checked && (row.requestId || '').startsWith('console-tail-');
  const columns = [
    { label: 'Time', value: (r) => time(r.timestamp) },
    { label: 'Method', value: (r) => r.method },
    { label: 'Path', value: (r) => h('code', { text: r.path }) },
    { label: 'Status', value: (r) => statusCode(r.statusCode) },
    { label: 'ms', value: (r) => String(r.durationMs) },
    { label: 'Key', value: (r) => r.apiKeyId },
    { label: 'Limited', value: (r) => (r.rateLimited ? statusBadge('429') : '') },
  ];
  let rows = [];
  let tableEl = null;

  const loads = newestOnly();
  const details = newestOnly();
  async function load() {
    const current = loads();
    let answer;
    try {
      answer = await request('/api/v1/requests', { query: { ...query(), page: state.page, pageSize: 50 } });
    } catch (error) {
      if (current()) clear(listEl).append(errorBox(error));
      return;
    }
    if (!current()) return;
    clear(listEl);
    rows = answer.body.data;
    tableEl = buildTable();
    const p = answer.body.pagination;
    listEl.append(tableEl, pager({
      page: p.page, totalPages: p.totalPages, totalItems: p.totalItems, label: 'requests',
      onPage: (page) => { state.page = page; load(); },
    }));
  }

  function buildTable() {
    return table({
      id: 'rq-table', caption: 'Requests, newest first', rows: rows.filter((r) => !ownPoll(r)), columns,
      rowId: (r) => r.id, selectedId: state.selected, empty: 'No requests match.',
      onSelect: (r, tr) => {
        markSelected(tr);
        state.selected = r.id;
        // the address names the request (shareable), without re-rendering the page and stopping the tail
        history.replaceState(null, '', `#/requests?id=${encodeURIComponent(r.id)}`);
        showDetail(r.id);
      },
    });
  }

  async function showDetail(id) {
    detailEl.hidden = false;
    const current = details();
    try {
      const r = (await request(`/api/v1/requests/${encodeURIComponent(id)}`)).data;
      if (!current()) return;
      clear(detailEl);
      detailEl.append(h('h2', { text: `${r.method} ${r.path}` }), facts([
        ['Id', h('code', { id: 'rq-detail-id', text: r.id })],
        ['Request id', h('code', { text: r.requestId })],
        ['Status', statusCode(r.statusCode)],
        ['Duration', `${r.durationMs} ms`],
        ['Time', time(r.timestamp)],
        ['API key', r.apiKeyId],
        ['Client address', r.ipAddress],
        ['User agent', r.userAgent],
        ['Rate limited', r.rateLimited ? 'yes' : 'no'],
      ]), h('p', { class: 'muted', text: 'The gateway records neither query strings, headers nor bodies: they can carry secrets.' }));
    } catch (error) {
      if (current()) clear(detailEl).append(h('h2', { text: 'Request' }), errorBox(error));
    }
  }

  // The tail asks for the first page now and then and puts the requests it has not shown yet on top.
  let tailTimer = null;
  async function poll() {
    try {
      const answer = await request('/api/v1/requests', { query: { ...query(), page: 1, pageSize: 50 }, kind: 'tail' });
      const known = new Set(rows.map((r) => r.id));
      const fresh = answer.body.data.filter((r) => !known.has(r.id));
      if (fresh.length) {
        rows = [...fresh, ...rows].slice(0, 200);
        const next = buildTable();
        for (const tr of next.querySelectorAll('tbody tr')) {
          if (fresh.some((r) => r.id === tr.dataset.id)) tr.classList.add('fresh');
        }
        if (tableEl) tableEl.replaceWith(next);
        tableEl = next;
      }
      tailState.textContent = `Live: checked ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      tailState.textContent = `Live tail paused: ${error.message}`;
    }
    if (tail.checked) tailTimer = setTimeout(poll, TAIL_INTERVAL);
  }
  tail.addEventListener('change', () => {
    clearTimeout(tailTimer);
    if (tail.checked) poll();
    else tailState.textContent = '';
  });
  hideOwn.addEventListener('change', () => {
    const next = buildTable();
    if (tableEl) tableEl.replaceWith(next);
    tableEl = next;
  });
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    state.page = 1;
    load();
  });

  await load();
  if (state.selected) await showDetail(state.selected);
  return () => clearTimeout(tailTimer);
}

function statusCode(code) {
  const kind = code >= 500 ? 'bad' : code >= 400 ? 'warn' : 'ok';
  return h('span', { class: `badge ${kind}`, text: String(code) });
}
