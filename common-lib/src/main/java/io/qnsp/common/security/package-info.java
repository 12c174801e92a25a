/**
 * Every servlet service is an OAuth2 resource server. Trust comes from
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} and/or {@code jwk-set-uri} (without either, JWTs are not
 * accepted); {@code qnsp.security.audience}, {@code qnsp.security.admin-token} and {@code qnsp.security.public-paths}
 * tune it. Controllers take a {@link io.qnsp.common.security.Caller} parameter or call
 * {@link io.qnsp.common.security.Callers#current()}.
 */
package io.qnsp.common.security;
