package io.qnsp.kpi.idempotency;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.Callers;
import io.qnsp.common.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code X-Request-Id} as spec 000's idempotency key, per tenant: the first request with an id is served and its
 * successful answer kept; a later request with the same id and the same method, path, query and body gets that
 * answer again (marked {@code Idempotent-Replayed: true}) without being served again; one with the same id and
 * anything else differing is refused with 409 {@code version_conflict}. A failed request keeps nothing, so its id can
 * be used again. (common-lib's request id filter still takes the id for the logs and error bodies.)
 */
class IdempotentReplies implements HandlerInterceptor {

    static final String REPLAYED = "Idempotent-Replayed";
    private static final String CLAIM = IdempotentReplies.class.getName() + ".claim";

    private record Held(String tenant, String requestId, Instant claimedAt) {
    }

    private final IdempotentRequests requests;
    private final IdempotencySettings settings;
    private final Clock clock;

    IdempotentReplies(IdempotentRequests requests, IdempotencySettings settings, Clock clock) {
        this.requests = requests;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        BufferedRequest buffered = WebUtils.getNativeRequest(request, BufferedRequest.class);
        String requestId = request.getHeader(RequestIds.HEADER);
        if (!(handler instanceof HandlerMethod) || buffered == null || requestId == null) {
            return true;
        }
        String tenant = Callers.current().map(Caller::tenantId).orElse(null);
        if (tenant == null || tenant.isBlank()) {
            return true;
        }
        // common-lib's request id filter keeps a well-formed id and puts a new one in the place of any other
        if (!requestId.equals(request.getAttribute(RequestIds.ATTRIBUTE))) {
            throw new InvalidField(RequestIds.HEADER, "must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
        byte[] fingerprint = RequestFingerprint.of(request.getMethod(), request.getRequestURI(),
                request.getQueryString(), buffered.body());
        Instant now = now();
        IdempotentRequests.Claim claim = requests.claim(tenant, requestId, fingerprint, now, settings.lease(),
                settings.retention());
        return switch (claim) {
            case IdempotentRequests.Claim.Granted granted -> {
                request.setAttribute(CLAIM, new Held(tenant, requestId, granted.claimedAt()));
                yield true;
            }
            case IdempotentRequests.Claim.Replay replay -> {
                replay(response, replay.answer());
                yield false;
            }
            case IdempotentRequests.Claim.Mismatch mismatch -> throw RequestIdConflict.differentRequest();
            case IdempotentRequests.Claim.InProgress inProgress -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                throw RequestIdConflict.inProgress();
            }
        };
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                @Nullable Exception failure) {
        if (!(request.getAttribute(CLAIM) instanceof Held held)) {
            return;
        }
        request.removeAttribute(CLAIM);
        ContentCachingResponseWrapper answer = WebUtils.getNativeResponse(response,
                ContentCachingResponseWrapper.class);
        int status = response.getStatus();
        if (failure == null && answer != null && status >= 200 && status < 300) {
            requests.complete(held.tenant(), held.requestId(), held.claimedAt(),
                    new IdempotentRequests.Answer(status, response.getContentType(), answer.getContentAsByteArray()),
                    now(), settings.retention());
        } else {
            requests.release(held.tenant(), held.requestId(), held.claimedAt());
        }
    }

    private static void replay(HttpServletResponse response, IdempotentRequests.Answer answer) throws IOException {
        response.setStatus(answer.status());
        response.setHeader(REPLAYED, "true");
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    private Instant now() {
        // the database keeps microseconds: a claim is found again by the instant it was made at
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
