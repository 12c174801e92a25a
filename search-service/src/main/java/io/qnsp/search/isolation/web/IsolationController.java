package io.qnsp.search.isolation.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.search.SearchScopes;
import io.qnsp.search.isolation.IsolationVerification;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Isolation verification of the caller's tenant against every other tenant's documents, synonyms and queries. */
@Tag(name = "Tenant isolation")
@RestController
@RequestMapping("/search/v1/isolation")
class IsolationController {

    static final int DEFAULT_SAMPLE = 10;
    static final int MAX_SAMPLE = 100;

    record VerifyRequest(@Schema(allowableValues = {"query_isolation", "index_isolation", "full"})
                         @Nullable String testType,
                         @Schema(description = "how many records of other tenants (and of the tenant's own, for "
                                 + "the control) each test samples, 1 to 100; 10 by default")
                         @Nullable Integer sampleSize) {
    }

    record TestResult(String testName, boolean passed, String details) {
    }

    record VerificationResult(UUID verificationId, boolean passed, List<TestResult> tests, Instant ranAt) {
    }

    private final IsolationVerification verification;

    IsolationController(IsolationVerification verification) {
        this.verification = verification;
    }

    @Operation(summary = "Run isolation verification", operationId = "verifySearchIsolation",
            description = "query_isolation: other tenants' documents, sampled at random, are searched for by their "
                    + "titles and ids as the caller, with a control that the tenant's own documents are found. "
                    + "index_isolation: those documents looked up by id, other tenants' synonym terms expanded and "
                    + "their recorded queries clicked as the caller. full: both. Passed when nothing of another "
                    + "tenant was seen. Needs search:write.")
    @PostMapping("/verify")
    @RequiredControls(scopes = SearchScopes.WRITE, audit = "search.isolation.verified",
            resourceType = "isolation_verification", resourceId = "#result.verificationId",
            auditDetails = "{'passed': #result?.passed()}")
    VerificationResult verify(Caller caller, @RequestBody VerifyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.testType() == null) {
            problems.add("testType", "is required");
        } else if (!IsolationVerification.TYPES.contains(request.testType())) {
            problems.add("testType", "must be one of " + IsolationVerification.TYPES);
        }
        int sampleSize = request.sampleSize() == null ? DEFAULT_SAMPLE : request.sampleSize();
        if (sampleSize < 1 || sampleSize > MAX_SAMPLE) {
            problems.add("sampleSize", "must be from 1 to " + MAX_SAMPLE);
        }
        problems.throwIfAny();
        IsolationVerification.Verification result = verification.verify(tenant, request.testType(), sampleSize);
        return new VerificationResult(result.verificationId(), result.passed(), result.tests().stream()
                .map(test -> new TestResult(test.testName(), test.passed(), test.details())).toList(),
                result.ranAt());
    }
}
