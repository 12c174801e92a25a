// The platform's APIs, same origin, with the signed-in credential. The credential lives in this tab's
// sessionStorage only (never localStorage, never a URL) and is dropped at sign-out.

const STORE = 'qnsp.dashboard.session';
const listeners = new Set();
let session = load();

/** A refusal from an API, whatever the family's error format: status, code, message and the field it names. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || `Request failed with status ${status}`);
    this.status = status;
    this.code = code;
    this.details = details || {};
    this.field = this.details.field;
  }
}

function load() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORE) || 'null');
    if (stored && stored.kind === 'token' && stored.expiresAt && stored.expiresAt < Date.now()) {
      sessionStorage.removeItem(STORE);
      return null;
    }
    return stored;
  } catch {
    return null;
  }
}

function save(next, notice) {
  session = next;
  if (next) sessionStorage.setItem(STORE, JSON.stringify(next));
  else sessionStorage.removeItem(STORE);
  for (const listener of listeners) listener(session, notice);
}

export function currentSession() {
  return session;
}

export function onSessionChange(listener) {
  listeners.add(listener);
}

/** The claims of a JWT, for display (the services verify the token; the console only reads who it names). */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

function list(value) {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return [];
}

function tokenSession(token, expiresIn, extra = {}) {
  const claims = claimsOf(token);
  return {
    kind: 'token',
    token,
    expiresAt: Date.now() + (expiresIn || 0) * 1000,
    subject: claims.sub || '',
    tenant: claims.tenant_id || null,
    roles: list(claims.roles),
    scopes: list(claims.scope || claims.scp),
    ...extra,
  };
}

/** Client credentials at /oauth2/token (HTTP Basic, as RFC 6749 prefers). */
export async function signInWithClient(clientId, clientSecret) {
  const basic = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  const response = await fetch('/oauth2/token', {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: 'grant_type=client_credentials',
    credentials: 'omit',
    cache: 'no-store',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, body.error,
      response.status === 401 ? 'The client id or secret is wrong.' : (body.error_description || body.error));
  }
  save(tokenSession(body.access_token, body.expires_in));
  return session;
}

/** A DataHub API key, checked with the rate-limit status endpoint (any valid key may call it). */
export async function signInWithApiKey(apiKey) {
  const response = await fetch('/api/v1/rate-limits/status', {
    headers: { 'X-API-Key': apiKey, Accept: 'application/json' }, credentials: 'omit', cache: 'no-store',
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError(response.status, body.error?.code,
      response.status === 401 ? 'The API key is not valid.' : body.error?.message);
  }
  save({ kind: 'apiKey', apiKey, display: `${apiKey.slice(0, 12)}…`, roles: [], scopes: [], tenant: null });
  return session;
}

export function signOut(notice = 'You are signed out.') {
  save(null, notice);
}

/** The platform operator (role platform_admin) may act within another tenant with a token auth-service issues. */
export function isOperator() {
  return !!session && session.kind === 'token' && session.roles.includes('platform_admin');
}

/** The tenant the console acts in: the acting tenant an operator chose, else the credential's own. */
export function actingTenant() {
  if (!session) return null;
  return session.acting ? session.acting.tenant : session.tenant;
}

export async function actAsTenant(tenantId) {
  if (!isOperator()) throw new Error('Only the platform operator can switch tenants');
  if (!tenantId || tenantId === session.tenant) {
    save({ ...session, acting: null });
    return;
  }
  const issued = await request(`/auth/admin/tenants/${encodeURIComponent(tenantId)}/access-tokens`, {
    method: 'POST', useOwnToken: true,
  });
  const acting = tokenSession(issued.data.accessToken, issued.data.expiresIn);
  save({ ...session, acting: { tenant: acting.tenant, token: acting.token, expiresAt: acting.expiresAt } });
}

function credentialHeaders(useOwnToken) {
  if (!session) return {};
  if (session.kind === 'apiKey') return { 'X-API-Key': session.apiKey };
  const token = !useOwnToken && session.acting ? session.acting.token : session.token;
  return { Authorization: `Bearer ${token}` };
}

export function authorization() {
  return credentialHeaders(false);
}

let sequence = 0;
/** An id for the console's own requests, so the request log can tell them apart. */
export function requestId(kind = 'ui') {
  sequence += 1;
  return `console-${kind}-${Date.now().toString(36)}-${sequence}`;
}

function errorFrom(status, body) {
  if (body && typeof body === 'object') {
    if (body.error && typeof body.error === 'object') {
      return new ApiError(status, body.error.code, body.error.message, body.error.details);
    }
    return new ApiError(status, body.error || body.code, body.message || body.error_description || body.error, body.details);
  }
  return new ApiError(status, null, `Request failed with status ${status}`);
}

function expired() {
  if (!session || session.kind !== 'token') return false;
  const until = session.acting ? Math.min(session.expiresAt, session.acting.expiresAt) : session.expiresAt;
  return until <= Date.now();
}

/**
 * Calls an API. Answers {status, data (the parsed body, or the DataHub envelope's data), body, headers}; a status
 * of 400 and above throws an ApiError. query: an object whose empty values are left out.
 */
export async function request(path, { method = 'GET', query, body, headers = {}, signal, useOwnToken = false, kind } = {}) {
  if (expired()) {
    signOut('Your session has ended. Sign in again.');
    throw new ApiError(401, 'SESSION_EXPIRED', 'Your session has ended. Sign in again.');
  }
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
    }
    const text = params.toString();
    if (text) url += `${url.includes('?') ? '&' : '?'}${text}`;
  }
  const init = {
    method,
    headers: { Accept: 'application/json', 'X-Request-Id': requestId(kind), ...credentialHeaders(useOwnToken), ...headers },
    signal,
    credentials: 'omit',
    cache: 'no-store',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok && response.status !== 304) {
    throw errorFrom(response.status, parsed);
  }
  const data = parsed && typeof parsed === 'object' && 'success' in parsed && 'data' in parsed ? parsed.data : parsed;
  return { status: response.status, data, body: parsed, headers: response.headers };
}

/** Shorthand for GET answering the data. */
export async function get(path, query, options = {}) {
  return (await request(path, { ...options, query })).data;
}
