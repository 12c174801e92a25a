// DataHub API keys (auth-service, /api/v1/keys): list, create (the key shown once), scopes, rotate, revoke.
import { request } from '../api.js';
import {
  announce, clear, confirmDialog, errorBox, facts, field, h, markSelected, newestOnly, openDialog, pager, secretBox,
  select, statusBadge, table, time,
} from '../dom.js';

export const SCOPES = ['read:keys', 'write:keys', 'read:requests', 'write:requests', 'read:webhooks', 'write:webhooks', 'admin'];
const STATUSES = [['all', 'All'], ['active', 'Active'], ['deprecated', 'Deprecated'], ['revoked', 'Revoked'], ['expired', 'Expired']];

export async function render(container) {
  const state = { page: 1, pageSize: 20, status: 'all', search: '', selected: null };
  const search = h('input', { type: 'search', id: 'key-search', maxLength: 200, placeholder: 'Name or description' });
  const status = select(STATUSES, 'all', { id: 'key-status' });
  const listEl = h('div', { id: 'keys-list' });
  const detailEl = h('div', { id: 'key-detail', class: 'panel', hidden: true, 'aria-live': 'polite' });
  const create = h('button', { type: 'button', class: 'primary', id: 'create-key', text: 'Create key' });
  let timer = null;

  container.append(
    h('h1', { text: 'API keys' }),
    h('p', { class: 'muted', text: 'DataHub API keys of this tenant. A key is shown once, when it is created or rotated.' }),
    h('div', { class: 'toolbar' },
      h('div', { class: 'grow' }, field('Search', search)),
      field('Status', status),
      create),
    h('div', { class: 'split' }, listEl, detailEl));

  const loads = newestOnly();
  const details = newestOnly();
  async function load() {
    const current = loads();
    let answer;
    try {
      answer = await request('/api/v1/keys', {
        query: { page: state.page, pageSize: state.pageSize, status: state.status, search: state.search },
      });
    } catch (error) {
      if (current()) clear(listEl).append(errorBox(error));
      return;
    }
    if (!current()) return;
    clear(listEl);
    const { body } = answer;
    listEl.append(
      table({
        id: 'keys-table',
        caption: 'Keys',
        rows: body.data,
        rowId: (k) => k.id,
        selectedId: state.selected,
        onSelect: (k, tr) => { markSelected(tr); showDetail(k.id); },
        empty: 'No keys match.',
        columns: [
          { label: 'Name', value: (k) => k.name },
          { label: 'Prefix', value: (k) => h('code', { text: k.keyPrefix }) },
          { label: 'Status', value: (k) => statusBadge(k.status) },
          { label: 'Scopes', value: (k) => k.scopes.join(', ') },
          { label: 'Requests', value: (k) => String(k.totalRequests) },
          { label: 'Last used', value: (k) => time(k.lastUsedAt) },
          { label: 'Created', value: (k) => time(k.createdAt) },
        ],
      }),
      pager({
        page: body.pagination.page, totalPages: body.pagination.totalPages, totalItems: body.pagination.totalItems,
        label: 'keys', onPage: (page) => { state.page = page; load(); },
      }));
  }

  async function showDetail(id) {
    state.selected = id;
    detailEl.hidden = false;
    const current = details();
    let key;
    try {
      key = (await request(`/api/v1/keys/${encodeURIComponent(id)}`)).data;
    } catch (error) {
      if (current()) clear(detailEl).append(errorBox(error));
      return;
    }
    if (!current()) return;
    clear(detailEl);
    const usable = key.status === 'active';
    detailEl.append(
      h('h2', { text: key.name }),
      facts([
        ['Id', h('code', { text: key.id })],
        ['Prefix', h('code', { text: key.keyPrefix })],
        ['Status', statusBadge(key.status)],
        ['Description', key.description],
        ['Scopes', key.scopes.join(', ')],
        ['Rate limit', key.rateLimit ? `${key.rateLimit.requestsPerMinute}/min, ${key.rateLimit.requestsPerHour}/h, ${key.rateLimit.requestsPerDay}/day` : null],
        ['Requests', String(key.totalRequests)],
        ['Created', time(key.createdAt)],
        ['Created by', key.createdBy],
        ['Expires', time(key.expiresAt)],
        key.deprecatedAt ? ['Deprecated', time(key.deprecatedAt)] : null,
        key.revokedAt ? ['Revoked', time(key.revokedAt)] : null,
        key.rotatedFrom ? ['Replaces', h('code', { text: key.rotatedFrom })] : null,
        key.replacedBy ? ['Replaced by', h('code', { text: key.replacedBy })] : null,
      ]),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', id: 'edit-scopes', text: 'Edit scopes', disabled: key.status === 'revoked' || key.status === 'expired', on: { click: () => editScopes(key) } }),
        h('button', { type: 'button', id: 'rotate-key', text: 'Rotate', disabled: !usable, on: { click: () => rotate(key) } }),
        h('button', { type: 'button', id: 'revoke-key', class: 'danger', text: 'Revoke', disabled: key.status === 'revoked', on: { click: () => revoke(key) } })));
  }

  function scopeChecks(chosen) {
    return h('fieldset', {}, h('legend', { text: 'Scopes' }), h('div', { class: 'checks' }, SCOPES.map((scope) => h('label', {},
      h('input', { type: 'checkbox', name: 'scope', value: scope, checked: chosen.includes(scope) }), ` ${scope}`))));
  }

  const chosenScopes = (root) => [...root.querySelectorAll('input[name="scope"]:checked')].map((c) => c.value);

  function openCreate() {
    const name = h('input', { id: 'new-key-name', maxLength: 100, required: true });
    const description = h('textarea', { id: 'new-key-description', maxLength: 1000 });
    const expires = h('input', { type: 'datetime-local', id: 'new-key-expires' });
    const scopes = scopeChecks(['read:keys']);
    const problem = h('div');
    const form = h('div', {}, field('Name', name, '3 to 100 characters'), field('Description (optional)', description),
      scopes, field('Expires (optional)', expires), problem);
    openDialog({
      title: 'Create an API key', body: form, id: 'create-key-dialog', closeLabel: 'Cancel',
      actions: [{
        label: 'Create', kind: 'primary', id: 'create-key-submit',
        onClick: async () => {
          clear(problem);
          const body = { name: name.value, scopes: chosenScopes(form) };
          if (description.value.trim()) body.description = description.value;
          if (expires.value) body.expiresAt = new Date(expires.value).toISOString();
          try {
            const created = (await request('/api/v1/keys', { method: 'POST', body })).data;
            setTimeout(() => showOnce('Your new API key', created.apiKey, created.keyPrefix), 0);
            state.selected = created.id;
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
  }

  function showOnce(title, apiKey, prefix) {
    openDialog({
      title, id: 'key-once-dialog', closeLabel: 'Done',
      body: h('div', {},
        h('p', { text: 'Copy the key now: it is shown only this once and cannot be shown again. The platform keeps only a hash of it.' }),
        secretBox(apiKey, 'The API key', 'new-api-key'),
        h('p', { class: 'muted' }, 'Its prefix, shown in the list: ', h('code', { text: prefix }))),
    });
  }

  function editScopes(key) {
    const scopes = scopeChecks(key.scopes);
    const problem = h('div');
    openDialog({
      title: `Scopes of ${key.name}`, id: 'scopes-dialog', body: h('div', {}, scopes, problem), closeLabel: 'Cancel',
      actions: [{
        label: 'Save', kind: 'primary', id: 'scopes-save',
        onClick: async () => {
          clear(problem);
          try {
            await request(`/api/v1/keys/${encodeURIComponent(key.id)}`, { method: 'PUT', body: { scopes: chosenScopes(scopes) } });
            announce('Scopes saved');
            await load();
            showDetail(key.id);
            return true;
          } catch (error) {
            problem.append(errorBox(error));
            return false;
          }
        },
      }],
    });
  }

  function rotate(key) {
    const hours = h('input', { type: 'number', id: 'deprecation-hours', min: 0, max: 720, step: 'any', value: '24' });
    const problem = h('div');
    openDialog({
      title: `Rotate ${key.name}`, id: 'rotate-dialog', closeLabel: 'Cancel',
      body: h('div', {},
        h('p', { text: 'A new key replaces this one. The old key keeps working during the deprecation period, then stops.' }),
        field('Deprecation period (hours)', hours, '0 ends the old key at once; at most 720 hours (30 days)'), problem),
      actions: [{
        label: 'Rotate', kind: 'primary', id: 'rotate-submit',
        onClick: async () => {
          clear(problem);
          const seconds = Math.round(Number(hours.value) * 3600);
          try {
            const rotated = (await request(`/api/v1/keys/${encodeURIComponent(key.id)}/rotate`, {
              method: 'POST', body: { deprecationPeriod: seconds },
            })).data;
            setTimeout(() => showOnce('The rotated key', rotated.newKey.apiKey, rotated.newKey.keyPrefix), 0);
            await load();
            showDetail(rotated.newKey.id);
            return true;
          } catch (error) {
            problem.append(errorBox(error));
            return false;
          }
        },
      }],
    });
  }

  async function revoke(key) {
    const confirmed = await confirmDialog({
      title: `Revoke ${key.name}?`, id: 'revoke-dialog', confirmLabel: 'Revoke',
      message: `The key ${key.keyPrefix} stops working at once. This cannot be undone.`,
    });
    if (!confirmed) return;
    try {
      await request(`/api/v1/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      announce(`${key.name} revoked`);
      await load();
      showDetail(key.id);
    } catch (error) {
      announce(error.message, 'error');
    }
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.search = search.value.trim(); state.page = 1; load(); }, 300);
  });
  status.addEventListener('change', () => { state.status = status.value; state.page = 1; load(); });
  create.addEventListener('click', openCreate);
  await load();
  return () => clearTimeout(timer);
}
