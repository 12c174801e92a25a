// Webhooks (audit-service, /api/v1/webhooks): list, create (the secret shown once), test delivery, delivery history.
import { request } from '../api.js';
import {
  announce, clear, confirmDialog, errorBox, facts, field, h, markSelected, newestOnly, openDialog, pager, secretBox,
  statusBadge, table, time,
} from '../dom.js';

const EVENTS = ['key.created', 'key.updated', 'key.rotated', 'key.revoked'];

export async function render(container) {
  const state = { page: 1, selected: null };
  const listEl = h('div', { id: 'wh-list' });
  const detailEl = h('div', { id: 'wh-detail', class: 'panel', hidden: true });
  const create = h('button', { type: 'button', class: 'primary', id: 'wh-create', text: 'Create webhook' });
  container.append(
    h('h1', { text: 'Webhooks' }),
    h('p', { class: 'muted', text: 'URLs this tenant\'s events are delivered to, signed with the webhook\'s secret (Standard Webhooks).' }),
    h('div', { class: 'toolbar' }, create),
    h('div', { class: 'split' }, listEl, detailEl));

  const loads = newestOnly();
  const details = newestOnly();
  const histories = newestOnly();
  async function load() {
    const current = loads();
    let body;
    try {
      body = (await request('/api/v1/webhooks', { query: { page: state.page, pageSize: 20 } })).body;
    } catch (error) {
      if (current()) clear(listEl).append(errorBox(error));
      return;
    }
    if (!current()) return;
    clear(listEl);
    listEl.append(table({
      id: 'wh-table', caption: 'Webhooks', rows: body.data, rowId: (w) => w.id, selectedId: state.selected,
      onSelect: (w, tr) => { markSelected(tr); showDetail(w.id); }, empty: 'No webhooks yet.',
      columns: [
        { label: 'Name', value: (w) => w.name },
        { label: 'URL', value: (w) => h('code', { text: w.url }) },
        { label: 'Events', value: (w) => w.events.join(', ') },
        { label: 'Status', value: (w) => statusBadge(w.status) },
        { label: 'Created', value: (w) => time(w.createdAt) },
      ],
    }), pager({
      page: body.pagination.page, totalPages: body.pagination.totalPages, totalItems: body.pagination.totalItems,
      label: 'webhooks', onPage: (page) => { state.page = page; load(); },
    }));
  }

  async function showDetail(id) {
    state.selected = id;
    detailEl.hidden = false;
    const current = details();
    let webhook;
    try {
      webhook = (await request(`/api/v1/webhooks/${encodeURIComponent(id)}`)).data;
    } catch (error) {
      if (current()) clear(detailEl).append(errorBox(error));
      return;
    }
    if (!current()) return;
    clear(detailEl);
    const testResult = h('div', { id: 'wh-test-result', 'aria-live': 'polite' });
    const history = h('div', { id: 'wh-history' });
    detailEl.append(
      h('h2', { text: webhook.name }),
      facts([
        ['Id', h('code', { text: webhook.id })],
        ['URL', h('code', { text: webhook.url })],
        ['Events', webhook.events.join(', ')],
        ['Status', statusBadge(webhook.status)],
        ['Extra headers', Object.keys(webhook.headers || {}).join(', ')],
        ['Created', time(webhook.createdAt)],
      ]),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', id: 'wh-test', text: 'Send a test delivery', on: { click: () => test(webhook, testResult, history) } }),
        h('button', { type: 'button', id: 'wh-refresh', text: 'Refresh history', on: { click: () => loadHistory(webhook.id, history) } }),
        h('button', { type: 'button', id: 'wh-delete', class: 'danger', text: 'Delete', on: { click: () => remove(webhook) } })),
      testResult,
      h('h3', { text: 'Delivery history' }),
      history);
    await loadHistory(webhook.id, history);
  }

  async function test(webhook, resultEl, history) {
    clear(resultEl).append(h('p', { text: 'Sending…' }));
    try {
      const result = (await request(`/api/v1/webhooks/${encodeURIComponent(webhook.id)}/test`, { method: 'POST', body: {} })).data;
      clear(resultEl).append(h('p', { id: 'wh-test-outcome', dataset: { status: result.status } },
        'Test delivery ', statusBadge(result.status),
        result.statusCode ? ` – the receiver answered ${result.statusCode}` : '',
        ` in ${result.durationMs} ms`, result.error ? ` – ${result.error}` : ''));
      await loadHistory(webhook.id, history);
    } catch (error) {
      clear(resultEl).append(errorBox(error));
    }
  }

  async function loadHistory(id, el) {
    const current = histories();
    try {
      const body = (await request(`/api/v1/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { page: 1, pageSize: 50 } })).body;
      if (!current()) return;
      clear(el).append(table({
        id: 'wh-deliveries', caption: 'Deliveries, newest first', rows: body.data, rowId: (d) => d.deliveryId,
        empty: 'Nothing delivered yet.',
        columns: [
          { label: 'Created', value: (d) => time(d.createdAt) },
          { label: 'Event', value: (d) => h('code', { text: d.event }) },
          { label: 'Status', value: (d) => statusBadge(d.status) },
          { label: 'Attempts', value: (d) => attempts(d) },
          { label: 'Answer', value: (d) => (d.statusCode ? String(d.statusCode) : d.error) },
          { label: 'ms', value: (d) => (d.durationMs === null ? null : String(d.durationMs)) },
        ],
      }));
    } catch (error) {
      if (current()) clear(el).append(errorBox(error));
    }
  }

  async function remove(webhook) {
    const confirmed = await confirmDialog({
      title: `Delete ${webhook.name}?`, id: 'wh-delete-dialog', confirmLabel: 'Delete',
      message: 'The webhook and its delivery history are removed; pending deliveries are not sent.',
    });
    if (!confirmed) return;
    try {
      await request(`/api/v1/webhooks/${encodeURIComponent(webhook.id)}`, { method: 'DELETE' });
      announce(`${webhook.name} deleted`);
      detailEl.hidden = true;
      state.selected = null;
      await load();
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  create.addEventListener('click', () => {
    const name = h('input', { id: 'wh-new-name', maxLength: 100 });
    const url = h('input', { id: 'wh-new-url', type: 'url', placeholder: 'https://example.com/hooks/qnsp', maxLength: 2048 });
    const all = h('input', { type: 'checkbox', id: 'wh-all-events', value: '*' });
    const events = h('fieldset', {}, h('legend', { text: 'Events' }), h('div', { class: 'checks' },
      h('label', {}, all, ' all (*)'),
      EVENTS.map((e) => h('label', {}, h('input', { type: 'checkbox', name: 'event', value: e }), ` ${e}`))));
    const active = h('input', { type: 'checkbox', id: 'wh-new-active', checked: true });
    const problem = h('div');
    openDialog({
      title: 'Create a webhook', id: 'wh-create-dialog', closeLabel: 'Cancel',
      body: h('div', {}, field('Name', name), field('URL', url, 'http or https; the platform refuses internal addresses'), events,
        h('label', {}, active, ' Active'), problem),
      actions: [{
        label: 'Create', kind: 'primary', id: 'wh-create-submit',
        onClick: async () => {
          clear(problem);
          const chosen = all.checked ? ['*'] : [...events.querySelectorAll('input[name="event"]:checked')].map((c) => c.value);
          try {
            const created = (await request('/api/v1/webhooks', {
              method: 'POST', body: { name: name.value, url: url.value, events: chosen, active: active.checked },
            })).data;
            setTimeout(() => openDialog({
              title: 'The webhook\'s signing secret', id: 'wh-secret-dialog', closeLabel: 'Done',
              body: h('div', {}, h('p', { text: 'Copy the secret now: it is shown only this once. Receivers verify each delivery\'s signature with it.' }),
                secretBox(created.secret, 'The signing secret', 'wh-secret')),
            }), 0);
            await load();
            showDetail(created.id);
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
}

function attempts(delivery) {
  if (!delivery.attemptHistory || !delivery.attemptHistory.length) return String(delivery.attempts);
  return h('details', {}, h('summary', { text: String(delivery.attempts) }),
    h('ol', {}, delivery.attemptHistory.map((a) => h('li', {},
      time(a.attemptedAt), ` ${a.status}`, a.statusCode ? ` ${a.statusCode}` : '', a.error ? ` – ${a.error}` : '',
      a.durationMs !== null && a.durationMs !== undefined ? ` (${a.durationMs} ms)` : ''))));
}
