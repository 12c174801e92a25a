package io.qnsp.bench.hello;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The hello-world endpoints: a check answered from the request alone, an encrypt that answers the plaintext, an
 * access check that allows everything, and a catch-all gateway backend.
 */
@RestController
class HelloController {

    /** The limit every answer reports; what the check "spends" is subtracted from it. */
    private static final long LIMIT = 10;

    /** The body ratelimit-service reads; {@code cost} defaults to 1. */
    record CheckRequest(String apiKey, Integer cost) {
    }

    /** The body ratelimit-service answers with. */
    record CheckResponse(boolean allowed, long remainingTokens, long limit, long resetInSeconds) {
    }

    record BackendResponse(boolean ok, String path) {
    }

    /** The body kms-service's encrypt reads. */
    record EncryptRequest(String plaintext, Map<String, String> encryptionContext) {
    }

    /** The shape kms-service's encrypt answers with; the "ciphertext" is the plaintext: no key, no cryptography. */
    record EncryptResponse(String keyId, int keyVersion, String algorithm, String ciphertext) {
    }

    @PostMapping("/v1/check")
    CheckResponse check(@RequestBody CheckRequest request) {
        long cost = request.cost() == null ? 1 : request.cost();
        return new CheckResponse(true, LIMIT - cost, LIMIT, 1);
    }

    /** kms-service's encrypt without authentication, cryptography or recording: the same JSON in and out. */
    @PostMapping("/kms/v1/keys/{keyId}/encrypt")
    EncryptResponse encrypt(@PathVariable String keyId, @RequestBody EncryptRequest request) {
        return new EncryptResponse(keyId, 1, "AES-256-GCM", request.plaintext());
    }

    /** The body access-service's check reads. */
    record AccessCheckRequest(Map<String, Object> principal, Map<String, Object> resource, String action,
                              Map<String, Object> context) {
    }

    /** The shape access-service's check answers with: allowed, for no reason, without looking at any policy. */
    record AccessCheckResponse(String decision, List<Object> reasons, List<String> effectivePolicies,
                               Instant decidedAt, long policyVersion) {
    }

    /** access-service's check without authentication, policies or a decision log: every request is allowed. */
    @PostMapping("/access/v1/check")
    AccessCheckResponse accessCheck(@RequestBody AccessCheckRequest request) {
        return new AccessCheckResponse("allow", List.of(), List.of(), Instant.now(), 0);
    }

    @RequestMapping(path = {"/backend/**", "/api/v1/storage/kpi/**"}, method = {RequestMethod.GET, RequestMethod.POST})
    BackendResponse backend(HttpServletRequest request) {
        return new BackendResponse(true, request.getRequestURI());
    }
}
