package io.qnsp.gateway.authentication;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who called, as the authentication filter established it, for the filters after it (an exchange attribute).
 *
 * @param method    how the caller authenticated
 * @param subject   the JWT's {@code sub}; for an API key, the key's principal (its id)
 * @param tenantId  the caller's tenant; {@code null} for a JWT without one (a platform operator)
 * @param keyId     the API key's id, when a key authenticated (or the JWT carries a {@code key_id})
 * @param rateLimit the key's own limits; {@code null} for a JWT caller, who gets the tenant default
 */
public record AuthenticatedCaller(Method method, String subject, String tenantId, String keyId,
                                  KeyRateLimit rateLimit) {

    /** The exchange attribute holding the caller. */
    public static final String ATTRIBUTE = AuthenticatedCaller.class.getName();

    /** How a caller authenticated. */
    public enum Method {
        JWT, API_KEY
    }

    /** The caller of an authenticated exchange, or {@code null} on a public path. */
    public static AuthenticatedCaller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /**
     * An API key's request limits, as auth-service reports them; a window that is absent or not positive has no
     * limit.
     */
    public record KeyRateLimit(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay) {
    }
}
