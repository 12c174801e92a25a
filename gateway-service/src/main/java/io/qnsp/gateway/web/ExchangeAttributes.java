package io.qnsp.gateway.web;

import org.springframework.web.server.ServerWebExchange;

/**
 * Names of the exchange attributes gateway components hand each other: the identity filters set who called and
 * whether the rate limiter refused, the request log and the error writer read them.
 */
public final class ExchangeAttributes {

    private static final String PREFIX = ExchangeAttributes.class.getName() + ".";

    /** The request id ({@code String}), set before anything else runs by the request id filter. */
    public static final String REQUEST_ID = PREFIX + "requestId";
    /** The id of the API key that authenticated the request ({@code String}), when a key did. */
    public static final String KEY_ID = PREFIX + "keyId";
    /** The tenant of the authenticated caller ({@code String}). */
    public static final String TENANT_ID = PREFIX + "tenantId";
    /** {@code Boolean.TRUE} when the rate limiter refused the request. */
    public static final String RATE_LIMITED = PREFIX + "rateLimited";
    /** The {@link AnswerHeaders} the edge filter writes on the answer at commit. */
    public static final String ANSWER_HEADERS = PREFIX + "answerHeaders";

    private ExchangeAttributes() {
    }

    /**
     * The request's id: the one the request id filter accepted or generated; should the filter not have run (a
     * unit test, a failure before it), a new one that this exchange then keeps.
     */
    public static String requestId(ServerWebExchange exchange) {
        Object id = exchange.getAttributes().computeIfAbsent(REQUEST_ID, name -> RandomIds.uuid().toString());
        return (String) id;
    }
}
