// DOM building with textContent and properties only: data from the APIs never passes through an HTML parser.

/**
 * Creates an element. attrs: class, text, on: {event: handler}, dataset: {…}, any property the element has
 * (id, type, value, checked, disabled, hidden, htmlFor, …) and any other name as an attribute (aria-*, role, …).
 * Children: nodes, strings (as text), arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = String(value);
    else if (name === 'on') for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('aria-') || name === 'role' || !(name in el)) el.setAttribute(name, value === true ? '' : String(value));
    else el[name] = value;
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let ids = 0;
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form control: the label's for is the control's id. */
export function field(label, control, hint) {
  if (!control.id) control.id = uid('field');
  const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { htmlFor: control.id, text: label }), control, hintEl);
}

export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, label]) => h('option', { value: v, text: label, selected: v === value })));
}

/** A table. columns: [{label, value: row => string|Node}]; onSelect makes rows keyboard-selectable. */
export function table({ caption, columns, rows, empty = 'Nothing to show.', onSelect, rowId, selectedId, id }) {
  const tbody = h('tbody');
  if (!rows.length) {
    tbody.append(h('tr', {}, h('td', { colSpan: columns.length, class: 'muted', text: empty })));
  }
  for (const row of rows) {
    const tr = h('tr', {});
    if (rowId) tr.dataset.id = rowId(row);
    if (onSelect) {
      tr.className = 'selectable';
      tr.tabIndex = 0;
      tr.setAttribute('aria-selected', String(rowId && rowId(row) === selectedId));
      tr.addEventListener('click', (event) => {
        if (event.target.closest('button, a, input, select')) return;
        onSelect(row, tr);
      });
      tr.addEventListener('keydown', (event) => {
        if ((event.key === 'Enter' || event.key === ' ') && event.target === tr) {
          event.preventDefault();
          onSelect(row, tr);
        }
      });
    }
    for (const column of columns) {
      const value = column.value(row);
      tr.append(h('td', {}, value === null || value === undefined || value === '' ? '—' : value));
    }
    tbody.append(tr);
  }
  return h('table', { id },
    caption ? h('caption', { text: caption }) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c.label })))),
    tbody);
}

export function markSelected(tr) {
  for (const other of tr.parentElement.querySelectorAll('tr[aria-selected]')) other.setAttribute('aria-selected', 'false');
  tr.setAttribute('aria-selected', 'true');
}

export function badge(text, kind = 'neutral') {
  return h('span', { class: `badge ${kind}`, text });
}

const STATUS_KINDS = {
  active: 'ok', up: 'ok', connected: 'ok', ready: 'ok', success: 'ok', enabled: 'ok', info: 'neutral',
  deprecated: 'warn', pending: 'warn', warning: 'warn', disabled: 'warn', inactive: 'warn', pending_deletion: 'warn',
  revoked: 'bad', expired: 'bad', down: 'bad', disconnected: 'bad', not_ready: 'bad', failed: 'bad', destroyed: 'bad',
  error: 'bad', critical: 'bad', deleted: 'bad',
};

export function statusBadge(status) {
  return badge(status, STATUS_KINDS[status] || 'neutral');
}

export function time(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return h('time', { dateTime: date.toISOString(), text: date.toLocaleString() });
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([term, value]) => [
    h('dt', { text: term }),
    h('dd', {}, value === null || value === undefined || value === '' ? '—' : value),
  ]));
}

/** A message in the polite status region, removed after a while. */
export function announce(message, kind = 'info') {
  const region = document.getElementById('status');
  const item = h('div', { class: `message ${kind === 'error' ? 'error' : ''}`, text: message });
  region.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 10000 : 5000);
}

/**
 * A view that may load again before its previous load answered (a filter typed quickly, a refresh): each load takes
 * a ticket, and only the newest ticket may render.
 */
export function newestOnly() {
  let newest = 0;
  return () => {
    newest += 1;
    const mine = newest;
    return () => mine === newest;
  };
}

const REFUSALS = { 401: 'Not signed in', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict', 429: 'Too many requests' };

/** Something the API refused, shown where it happened. */
export function errorBox(error) {
  const where = error.field ? ` (field: ${error.field})` : '';
  const kind = REFUSALS[error.status] ? `${REFUSALS[error.status]}: ` : '';
  return h('p', { class: 'error', role: 'alert', dataset: { status: String(error.status || '') },
    text: `${kind}${error.message || error}${where}` });
}

/**
 * A modal dialog (the native <dialog>, which keeps focus inside it while open). Escape or Close closes it; focus
 * returns to the element that had it. actions: [{label, kind, onClick(close) → false keeps it open}].
 */
export function openDialog({ title, body, actions = [], closeLabel = 'Close', onClose, id }) {
  // a dialog opened from another one returns focus to where the first one would have
  const active = document.activeElement;
  const outer = active && active.closest ? active.closest('dialog') : null;
  const returnTo = outer ? outer.returnTo : active;
  const titleId = uid('dialog-title');
  const dlg = h('dialog', { 'aria-labelledby': titleId, id });
  dlg.returnTo = returnTo;
  const close = () => {
    if (dlg.open) dlg.close();
  };
  const buttons = actions.map((action) => h('button', {
    type: 'button', class: action.kind || '', text: action.label, id: action.id,
    on: {
      click: async (event) => {
        event.currentTarget.disabled = true;
        try {
          const keep = await action.onClick(close);
          if (keep !== false) close();
        } finally {
          if (dlg.open) event.currentTarget.disabled = false;
        }
      },
    },
  }));
  dlg.append(
    h('div', { class: 'dialog-body' }, h('h2', { id: titleId, text: title }), body),
    h('div', { class: 'dialog-actions' }, buttons,
      h('button', { type: 'button', text: closeLabel, class: 'dialog-close', on: { click: close } })),
  );
  dlg.addEventListener('close', () => {
    dlg.remove();
    if (onClose) onClose();
    if (document.querySelector('dialog[open]')) return;
    if (returnTo && returnTo.isConnected) returnTo.focus();
    else document.getElementById('main')?.focus();
  });
  document.body.append(dlg);
  dlg.showModal();
  const first = dlg.querySelector('input, select, textarea, button:not(.dialog-close)');
  if (first) first.focus();
  return { element: dlg, close };
}

/** Asks before doing something that cannot be undone. Resolves to true when confirmed. */
export function confirmDialog({ title, message, confirmLabel, id }) {
  return new Promise((resolve) => {
    let confirmed = false;
    openDialog({
      title, id, closeLabel: 'Cancel',
      body: h('p', { text: message }),
      actions: [{ label: confirmLabel, kind: 'danger', id: 'confirm-action', onClick: () => { confirmed = true; } }],
      onClose: () => resolve(confirmed),
    });
  });
}

/** A value shown once, with a button that copies it. */
export function secretBox(value, label, id) {
  const out = h('code', { id, text: value, 'aria-label': label });
  const copy = h('button', {
    type: 'button', text: 'Copy', class: 'copy',
    on: {
      click: async () => {
        try {
          await navigator.clipboard.writeText(value);
          copy.textContent = 'Copied';
        } catch {
          const range = document.createRange();
          range.selectNodeContents(out);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          copy.textContent = 'Selected: press Ctrl+C';
        }
      },
    },
  });
  return h('div', { class: 'secret-box' }, out, copy);
}

export function pager({ page, totalPages, totalItems, onPage, label = 'items' }) {
  const pages = Math.max(totalPages || 1, 1);
  return h('div', { class: 'pager', role: 'navigation', 'aria-label': 'Pages' },
    h('button', { type: 'button', text: 'Previous', disabled: page <= 1, on: { click: () => onPage(page - 1) } }),
    h('span', { text: `Page ${page} of ${pages} (${totalItems} ${label})` }),
    h('button', { type: 'button', text: 'Next', disabled: page >= pages, on: { click: () => onPage(page + 1) } }));
}

/** ISO instant from a datetime-local input's value (local time), or undefined. */
export function instantFromLocal(value) {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
