/**
 * Enforces {@link io.qnsp.common.controls.RequiredControls} around annotated controller methods. Order: the caller
 * must be authenticated when any of admin, scopes, add-on or quota is required (401 {@code unauthorized}); then admin
 * (403 {@code forbidden}); scopes (403 {@code insufficient_scope}, {@code details.missingScopes}; a caller with the
 * admin role or the {@code admin} scope holds every scope; the {@code admin} scope does not satisfy {@code admin} or
 * {@code roles}, which need the role); add-on (403 {@code addon_required}, {@code details.addOn}); quota (429
 * {@code quota_exceeded}; per tenant, per UTC calendar month by default; callers without a tenant are not counted;
 * 503 when Redis is unreachable). Audit and usage events are appended in the method's own database transaction;
 * a call that throws is audited as {@code failure}, or {@code denied} for 401/403/429, in a transaction of its own.
 * Requests refused before the method runs (authentication at the filter, unreadable or invalid input) are not
 * audited: the operation was never attempted.
 */
package io.qnsp.common.controls;
