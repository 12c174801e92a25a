// The console's shell: sign-in, navigation between pages (in the URL's fragment), the tenant an operator acts in.
import {
  actAsTenant, actingTenant, currentSession, get, isOperator, onSessionChange, signInWithApiKey, signInWithClient,
  signOut,
} from './api.js';
import { announce, clear, errorBox, h } from './dom.js';

const PAGES = {
  overview: { title: 'Overview', load: () => import('./pages/overview.js') },
  keys: { title: 'API keys', load: () => import('./pages/keys.js') },
  'rate-limits': { title: 'Rate limits', load: () => import('./pages/ratelimits.js') },
  requests: { title: 'Request log', load: () => import('./pages/requests.js') },
  audit: { title: 'Audit events', load: () => import('./pages/audit.js') },
  webhooks: { title: 'Webhooks', load: () => import('./pages/webhooks.js') },
  secrets: { title: 'Secrets and keys', load: () => import('./pages/secrets.js') },
};

const signinView = document.getElementById('signin-view');
const appView = document.getElementById('app-view');
const main = document.getElementById('main');
let cleanup = null;
let rendering = 0;
let firstPage = true;

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, query = ''] = hash.split('?');
  return { name: PAGES[name] ? name : 'overview', params: new URLSearchParams(query) };
}

export function navigate(name, params = {}) {
  const query = new URLSearchParams(params).toString();
  location.hash = `#/${name}${query ? `?${query}` : ''}`;
}

async function render() {
  const session = currentSession();
  if (!session) {
    showSignIn();
    return;
  }
  signinView.hidden = true;
  appView.hidden = false;
  renderHeader();
  const { name, params } = route();
  for (const link of document.querySelectorAll('.sidenav a')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (cleanup) {
    try { cleanup(); } catch { /* the page is gone anyway */ }
    cleanup = null;
  }
  const token = ++rendering;
  document.title = `${PAGES[name].title} · QNSP dashboard`;
  clear(main);
  main.dataset.page = name;
  main.dataset.state = 'loading';
  const container = h('div', { class: 'page', id: `page-${name}` });
  main.append(container);
  try {
    const page = await PAGES[name].load();
    if (token !== rendering) return;
    const result = await page.render(container, { params, navigate, tenant: actingTenant() });
    if (token !== rendering) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
    main.dataset.state = 'ready';
  } catch (error) {
    if (token !== rendering) return;
    container.append(errorBox(error));
    main.dataset.state = 'error';
  }
  if (firstPage) {
    firstPage = false;
    performance.mark('qnsp-first-page-interactive');
  }
}

let headerFor = null;

function renderHeader() {
  const session = currentSession();
  // once per credential and acting tenant, not per page
  const key = `${session.kind}:${session.token || session.apiKey}:${actingTenant()}`;
  if (key === headerFor) return;
  headerFor = key;
  const identity = document.getElementById('identity');
  clear(identity);
  if (session.kind === 'apiKey') {
    identity.append('API key ', h('code', { text: session.display }));
  } else {
    identity.append('Signed in as ', h('strong', { text: session.subject }),
      session.roles.length ? ` (${session.roles.join(', ')})` : '');
  }
  const area = document.getElementById('tenant-area');
  clear(area);
  if (isOperator()) {
    const chooser = h('select', { id: 'tenant-switch' }, h('option', { value: session.tenant, text: `${session.tenant} (own)` }));
    area.append(h('label', { htmlFor: 'tenant-switch', text: 'Tenant' }), chooser);
    get('/auth/admin/tenants', { limit: 200 }, { useOwnToken: true }).then((page) => {
      for (const tenant of page.tenants) {
        if (tenant.id !== session.tenant) chooser.append(h('option', { value: tenant.id, text: `${tenant.id} – ${tenant.name}` }));
      }
      chooser.value = actingTenant();
    }).catch((error) => announce(`Tenants could not be listed: ${error.message}`, 'error'));
    chooser.addEventListener('change', async () => {
      chooser.disabled = true;
      try {
        await actAsTenant(chooser.value);
        announce(`Now acting in tenant ${actingTenant()}`);
      } catch (error) {
        announce(`Could not switch tenant: ${error.message}`, 'error');
        chooser.value = actingTenant();
      } finally {
        chooser.disabled = false;
      }
    });
  } else if (session.tenant) {
    area.append('Tenant ', h('strong', { id: 'tenant-name', text: session.tenant }));
  }
}

function showSignIn(notice) {
  appView.hidden = true;
  signinView.hidden = false;
  document.title = 'Sign in · QNSP dashboard';
  const noticeEl = document.getElementById('signin-notice');
  noticeEl.hidden = !notice;
  noticeEl.textContent = notice || '';
  if (firstPage) {
    firstPage = false;
    performance.mark('qnsp-first-page-interactive');
  }
  document.getElementById(document.getElementById('method-apikey').checked ? 'api-key' : 'client-id').focus();
}

function setUpSignIn() {
  const form = document.getElementById('signin-form');
  const errorEl = document.getElementById('signin-error');
  const methodChanged = () => {
    const apiKey = document.getElementById('method-apikey').checked;
    document.getElementById('apikey-fields').hidden = !apiKey;
    document.getElementById('client-fields').hidden = apiKey;
  };
  for (const radio of form.querySelectorAll('input[name="method"]')) radio.addEventListener('change', methodChanged);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorEl.hidden = true;
    const submit = document.getElementById('signin-submit');
    submit.disabled = true;
    try {
      if (document.getElementById('method-apikey').checked) {
        const key = document.getElementById('api-key').value.trim();
        if (!key) throw new Error('Enter the API key.');
        await signInWithApiKey(key);
      } else {
        const id = document.getElementById('client-id').value.trim();
        const secret = document.getElementById('client-secret').value;
        if (!id || !secret) throw new Error('Enter the client id and the secret.');
        await signInWithClient(id, secret);
      }
      form.reset();
      methodChanged();
      if (!location.hash) location.hash = '#/overview';
      await render();
      main.focus();
    } catch (error) {
      errorEl.textContent = error.message;
      errorEl.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
}

document.getElementById('signout').addEventListener('click', () => {
  signOut();
});

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  (appView.hidden ? document.getElementById('signin-main') : main).focus();
});

let lastSession = currentSession();
onSessionChange((session, notice) => {
  const before = lastSession;
  lastSession = session;
  if (!session) {
    if (cleanup) {
      try { cleanup(); } catch { /* gone */ }
      cleanup = null;
    }
    clear(main);
    headerFor = null;
    showSignIn(before ? notice : undefined);
  } else if (before && session && (before.acting?.tenant !== session.acting?.tenant)) {
    render();
  }
});

window.addEventListener('hashchange', () => {
  if (currentSession()) render().then(() => main.focus());
});

setUpSignIn();
render();
