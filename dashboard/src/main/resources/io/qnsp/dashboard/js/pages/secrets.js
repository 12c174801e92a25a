// Secrets and keys: vault-service's versioned secrets and kms-service's keys, with their version histories. A secret's
// value is fetched only when asked for, for one version, and hidden again on request or when the page is left.
import { request } from '../api.js';
import {
  clear, errorBox, facts, field, h, markSelected, newestOnly, pager, select, statusBadge, table, time,
} from '../dom.js';

const PAGE = 20;

export async function render(container, { params }) {
  const vaultEl = h('section', { id: 'vault-section', 'aria-labelledby': 'vault-title' });
  const kmsEl = h('section', { id: 'kms-section', 'aria-labelledby': 'kms-title' });
  container.append(h('h1', { text: 'Secrets and keys' }), vaultEl, kmsEl);
  await Promise.all([vault(vaultEl, params.get('secret')), kms(kmsEl)]);
}

async function vault(section, initial) {
  const statsEl = h('div', { id: 'vault-stats' });
  const listEl = h('div', { id: 'vault-list' });
  const historyEl = h('div', { id: 'vault-history', class: 'panel', hidden: true });
  const lookup = h('input', { id: 'secret-lookup', placeholder: 'billing-db-password', maxLength: 128 });
  const lookupForm = h('form', { class: 'toolbar', id: 'secret-lookup-form' }, field('Secret id', lookup),
    h('button', { type: 'submit', text: 'Open', id: 'secret-open' }));
  section.append(h('h2', { id: 'vault-title', text: 'Vault secrets' }), statsEl, lookupForm,
    h('div', { class: 'split detail-wide' }, listEl, historyEl));
  let offset = 0;

  async function stats() {
    try {
      const s = (await request('/vault/v1/versioned-secrets/stats')).data;
      clear(statsEl).append(h('p', {},
        `${s.totalSecrets} secrets, ${s.totalVersions} versions (${s.byState.active} active, `
        + `${s.byState.deprecated} deprecated, ${s.byState.destroyed} destroyed).`));
    } catch (error) {
      clear(statsEl).append(errorBox(error));
    }
  }

  const lists = newestOnly();
  const histories = newestOnly();
  async function list() {
    const current = lists();
    try {
      const page = (await request('/vault/v1/versioned-secrets', { query: { limit: PAGE, offset } })).data;
      if (!current()) return;
      clear(listEl).append(table({
        id: 'vault-table', caption: 'Secrets', rows: page.secrets, rowId: (s) => s.secretId,
        onSelect: (s, tr) => { markSelected(tr); history(s.secretId); }, empty: 'No secrets yet.',
        columns: [
          { label: 'Secret id', value: (s) => h('code', { text: s.secretId }) },
          { label: 'Current version', value: (s) => String(s.currentVersion) },
          { label: 'Versions', value: (s) => String(s.versions) },
          { label: 'Updated', value: (s) => time(s.updatedAt) },
        ],
      }), pager({
        page: Math.floor(offset / PAGE) + 1, totalPages: Math.ceil(page.total / PAGE), totalItems: page.total, label: 'secrets',
        onPage: (p) => { offset = (p - 1) * PAGE; list(); },
      }));
    } catch (error) {
      if (current()) clear(listEl).append(errorBox(error));
    }
  }

  async function history(secretId) {
    historyEl.hidden = false;
    const current = histories();
    let data;
    try {
      data = (await request(`/vault/v1/versioned-secrets/${encodeURIComponent(secretId)}/history`)).data;
    } catch (error) {
      if (current()) clear(historyEl).append(h('h3', { text: secretId }), errorBox(error));
      return;
    }
    if (!current()) return;
    clear(historyEl);
    historyEl.append(h('h3', { text: secretId }),
      h('p', { class: 'muted', text: 'Values stay hidden. Revealing one reads it from the vault, and the read is recorded in the secret\'s audit log.' }),
      table({
        id: 'secret-versions', caption: 'Versions, newest first', rows: data.versions, rowId: (v) => String(v.version),
        columns: [
          { label: 'Version', value: (v) => String(v.version) },
          { label: 'State', value: (v) => statusBadge(v.state) },
          { label: 'Created', value: (v) => time(v.createdAt) },
          { label: 'By', value: (v) => v.createdBy },
          { label: 'Metadata', value: (v) => (v.metadata && Object.keys(v.metadata).length ? JSON.stringify(v.metadata) : null) },
          { label: 'Value', value: (v) => reveal(secretId, v) },
        ],
      }));
  }

  function reveal(secretId, version) {
    const cell = h('div', { class: 'reveal' });
    const show = h('button', {
      type: 'button', text: 'Reveal value', class: 'reveal-value', dataset: { version: String(version.version) },
      disabled: version.state === 'destroyed',
      'aria-label': `Reveal the value of version ${version.version}`,
      on: {
        click: async () => {
          show.disabled = true;
          try {
            const value = (await request(`/vault/v1/versioned-secrets/${encodeURIComponent(secretId)}/versions/${version.version}`)).data;
            const out = h('code', { class: 'revealed-value', text: value.value });
            const hide = h('button', { type: 'button', text: 'Hide', on: { click: () => { clear(cell).append(show); show.disabled = false; show.focus(); } } });
            clear(cell).append(out, ' ', hide);
            hide.focus();
          } catch (error) {
            clear(cell).append(errorBox(error), show);
            show.disabled = false;
          }
        },
      },
    });
    cell.append(version.state === 'destroyed' ? h('span', { class: 'muted', text: 'destroyed' }) : show);
    return cell;
  }

  lookupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (lookup.value.trim()) history(lookup.value.trim());
  });
  await Promise.all([stats(), list()]);
  if (initial) await history(initial);
}

async function kms(section) {
  const state = select([['', 'Any'], ['enabled', 'enabled'], ['disabled', 'disabled'], ['pending_deletion', 'pending deletion']], '', { id: 'kms-state' });
  const listEl = h('div', { id: 'kms-list' });
  const detailEl = h('div', { id: 'kms-detail', class: 'panel', hidden: true });
  section.append(h('h2', { id: 'kms-title', text: 'KMS keys' }), h('div', { class: 'toolbar' }, field('State', state)),
    h('div', { class: 'split' }, listEl, detailEl));
  let offset = 0;

  const lists = newestOnly();
  const details = newestOnly();
  async function list() {
    const current = lists();
    try {
      const page = (await request('/kms/v1/keys', { query: { limit: PAGE, offset, state: state.value } })).data;
      if (!current()) return;
      clear(listEl).append(table({
        id: 'kms-table', caption: 'Keys, oldest first', rows: page.keys, rowId: (k) => k.keyId,
        onSelect: (k, tr) => { markSelected(tr); detail(k.keyId); }, empty: 'No keys.',
        columns: [
          { label: 'Name', value: (k) => k.name },
          { label: 'Algorithm', value: (k) => k.algorithm },
          { label: 'Usage', value: (k) => k.usage },
          { label: 'State', value: (k) => statusBadge(k.state) },
          { label: 'Version', value: (k) => String(k.currentVersion) },
          { label: 'Created', value: (k) => time(k.createdAt) },
        ],
      }), pager({
        page: Math.floor(offset / PAGE) + 1, totalPages: Math.ceil(page.total / PAGE), totalItems: page.total, label: 'keys',
        onPage: (p) => { offset = (p - 1) * PAGE; list(); },
      }));
    } catch (error) {
      if (current()) clear(listEl).append(errorBox(error));
    }
  }

  async function detail(keyId) {
    detailEl.hidden = false;
    const current = details();
    try {
      const key = (await request(`/kms/v1/keys/${encodeURIComponent(keyId)}`)).data;
      if (!current()) return;
      clear(detailEl).append(h('h3', { text: key.name }), facts([
        ['Key id', h('code', { text: key.keyId })],
        ['Algorithm', key.algorithm],
        ['Usage', key.usage],
        ['State', statusBadge(key.state)],
        ['Description', key.description],
        ['Current version', String(key.currentVersion)],
        ['Rotated', time(key.rotatedAt)],
        ['Deletion date', time(key.deletionDate)],
      ]), table({
        id: 'kms-versions', caption: 'Versions', rows: key.versions, rowId: (v) => String(v.version),
        columns: [
          { label: 'Version', value: (v) => String(v.version) },
          { label: 'Algorithm', value: (v) => v.algorithm },
          { label: 'Origin', value: (v) => v.origin },
          { label: 'Created', value: (v) => time(v.createdAt) },
        ],
      }), h('p', { class: 'muted', text: 'Key material never leaves kms-service.' }));
    } catch (error) {
      if (current()) clear(detailEl).append(errorBox(error));
    }
  }

  state.addEventListener('change', () => { offset = 0; list(); });
  await list();
}
