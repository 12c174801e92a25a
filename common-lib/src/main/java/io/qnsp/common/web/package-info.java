/**
 * Request ids ({@code X-Request-Id}, accepted when it matches {@code [A-Za-z0-9._:-]{1,128}}, generated otherwise,
 * in the MDC as {@code requestId} and on every response) and the request body limit
 * ({@code qnsp.web.max-request-body}, 1MB by default).
 */
package io.qnsp.common.web;
