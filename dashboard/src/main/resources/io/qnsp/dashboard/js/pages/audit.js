// Audit events (audit-service): a query with filters and paging, and the live stream (SSE over fetch).
import { request } from '../api.js';
import { clear, errorBox, field, h, instantFromLocal, newestOnly, select, statusBadge, table, time } from '../dom.js';
import { openEventStream } from '../sse.js';

const SEVERITIES = [['', 'Any'], ['info', 'info'], ['warning', 'warning'], ['error', 'error'], ['critical', 'critical']];

export async function render(container) {
  const eventType = h('input', { id: 'ae-type', placeholder: 'auth.api_key.created' });
  const service = h('input', { id: 'ae-service', placeholder: 'auth-service' });
  const severity = select(SEVERITIES, '', { id: 'ae-severity' });
  const resourceId = h('input', { id: 'ae-resource' });
  const since = h('input', { id: 'ae-since', type: 'datetime-local' });
  const until = h('input', { id: 'ae-until', type: 'datetime-local' });
  const filters = h('form', { class: 'toolbar', id: 'ae-filters' },
    field('Event type', eventType), field('Service', service), field('Severity', severity), field('Resource id', resourceId),
    field('Since', since), field('Until', until), h('button', { type: 'submit', class: 'primary', text: 'Search', id: 'ae-search' }));
  const live = h('input', { type: 'checkbox', id: 'ae-live' });
  const liveState = h('span', { id: 'ae-live-state', class: 'muted', 'aria-live': 'polite' });
  const liveList = h('tbody', { id: 'ae-live-rows' });
  const liveSection = h('section', { id: 'ae-live-section', hidden: true, 'aria-labelledby': 'ae-live-title' },
    h('h2', { id: 'ae-live-title', text: 'Live events' }),
    h('table', { id: 'ae-live-table' },
      h('thead', {}, h('tr', {}, ['Time', 'Event', 'Severity', 'Actor', 'Resource', 'Outcome'].map((t) => h('th', { scope: 'col', text: t })))),
      liveList));
  const results = h('div', { id: 'ae-results' });
  const more = h('button', { type: 'button', id: 'ae-more', text: 'Older events', hidden: true });
  container.append(
    h('h1', { text: 'Audit events' }),
    h('div', { class: 'toolbar' }, h('label', {}, live, ' Live: show events as they are stored'), liveState),
    liveSection,
    h('h2', { text: 'Search' }),
    filters, results, more);

  let cursor = null;
  let rows = [];
  const columns = [
    { label: 'Time', value: (e) => time(e.timestamp) },
    { label: 'Event', value: (e) => h('code', { text: e.eventType }) },
    { label: 'Service', value: (e) => e.service },
    { label: 'Severity', value: (e) => statusBadge(e.severity) },
    { label: 'Actor', value: (e) => e.actor },
    { label: 'Resource', value: (e) => (e.resourceId ? `${e.resourceType || ''} ${e.resourceId}` : e.resourceType) },
    { label: 'Outcome', value: (e) => e.outcome },
    { label: 'Details', value: (e) => details(e) },
  ];

  const searches = newestOnly();
  async function search(append) {
    const current = searches();
    if (!append) {
      rows = [];
      cursor = null;
    }
    let page;
    try {
      page = (await request('/audit/v1/events', {
        query: {
          eventType: eventType.value.trim(), service: service.value.trim(), severity: severity.value,
          resourceId: resourceId.value.trim(), since: instantFromLocal(since.value), until: instantFromLocal(until.value),
          limit: 50, cursor,
        },
      })).data;
    } catch (error) {
      if (current()) {
        clear(results).append(errorBox(error));
        more.hidden = true;
      }
      return;
    }
    if (!current()) return;
    rows = rows.concat(page.events);
    cursor = page.nextCursor;
    clear(results).append(table({ id: 'ae-table', caption: 'Events, newest first', rows, columns, rowId: (e) => e.eventId, empty: 'No events match.' }));
    more.hidden = !cursor;
  }

  let stream = null;
  function startLive() {
    liveSection.hidden = false;
    liveState.textContent = 'Connecting…';
    stream = openEventStream('/audit/v1/streaming/events', {
      onEvent: (message) => {
        if (message.event !== 'audit_event') return;
        let event;
        try {
          event = JSON.parse(message.data);
        } catch {
          return;
        }
        const tr = h('tr', { class: 'fresh', dataset: { id: event.eventId, type: event.eventType, resource: event.resourceId || '' } },
          h('td', {}, time(event.timestamp)), h('td', {}, h('code', { text: event.eventType })),
          h('td', {}, statusBadge(event.severity)), h('td', { text: event.actor || '—' }),
          h('td', { text: event.resourceId ? `${event.resourceType || ''} ${event.resourceId}` : (event.resourceType || '—') }),
          h('td', { text: event.outcome || '—' }));
        liveList.prepend(tr);
        while (liveList.children.length > 200) liveList.lastElementChild.remove();
      },
      onState: (state, detail) => {
        liveState.dataset.state = state;
        liveState.textContent = {
          open: 'Live: connected', reconnecting: `Reconnecting${detail ? ` (${detail})` : ''}…`,
          closed: 'Live stream closed', error: `Live stream refused: ${detail}`,
        }[state] || state;
        if (state === 'error') live.checked = false;
      },
    });
  }
  live.addEventListener('change', () => {
    if (live.checked) startLive();
    else if (stream) {
      stream.close();
      stream = null;
    }
  });
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    search(false);
  });
  more.addEventListener('click', () => search(true));
  await search(false);
  return () => {
    if (stream) stream.close();
  };
}

function details(event) {
  if (!event.details || !Object.keys(event.details).length) return null;
  return h('details', {}, h('summary', { text: 'Show' }), h('pre', { text: JSON.stringify(event.details, null, 2) }));
}
