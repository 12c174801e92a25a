package io.qnsp.ratelimit.envoy;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.RateLimit;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.ratelimit.RateLimitClient;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.qnsp.ratelimit.envoy.EnvoyClient.descriptor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envoy's {@code ShouldRateLimit} over a real gRPC channel to the service's own port, with real PostgreSQL and Redis.
 * Every limit is per hour or longer, so no bucket refills noticeably while a test runs; every test uses values of its
 * own, so tests never share a bucket.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "qnsp.ratelimit.envoy.response-headers=true",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[0].key=remote_address",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[0].unit=hour",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[0].requests-per-unit=3",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[1].key=user",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[1].unit=hour",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[1].requests-per-unit=5",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[2].key=user",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[2].value=vip",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[2].unit=day",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[2].requests-per-unit=1",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[3].key=path",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[3].value=/login",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[3].unit=minute",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[3].requests-per-unit=2",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[4].key=tenant",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[4].descriptors[0].key=plan",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[4].descriptors[0].value=gold",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[4].descriptors[0].unit=hour",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[4].descriptors[0].requests-per-unit=2",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[5].key=small",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[5].unit=hour",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[5].requests-per-unit=1",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[6].key=large",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[6].unit=hour",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[6].requests-per-unit=10",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[7].key=trial",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[7].unit=hour",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[7].requests-per-unit=1",
        "qnsp.ratelimit.envoy.domains.edge.descriptors[7].shadow-mode=true",
        "qnsp.ratelimit.envoy.domains.other.descriptors[0].key=remote_address",
        "qnsp.ratelimit.envoy.domains.other.descriptors[0].unit=hour",
        "qnsp.ratelimit.envoy.domains.other.descriptors[0].requests-per-unit=100",
})
@ActiveProfiles("test")
@EmbeddedInfrastructure
class EnvoyRateLimitIntegrationTests {

    @LocalServerPort
    int httpPort;

    @Autowired
    EnvoyRateLimitServer server;

    @Autowired
    MeterRegistry registry;

    EnvoyClient envoy;
    RateLimitClient api;

    @BeforeEach
    void clients() {
        envoy = new EnvoyClient(server.port());
        api = new RateLimitClient(httpPort);
    }

    @AfterEach
    void close() throws InterruptedException {
        envoy.close();
    }

    private static String unique() {
        return UUID.randomUUID().toString();
    }

    // --- configured rules ------------------------------------------------------------------------------------------

    @Test
    void aRuleAdmitsRequestsPerUnitThenAnswersOverLimit() {
        RateLimitDescriptor client = descriptor("remote_address", unique());
        for (int remaining = 2; remaining >= 0; remaining--) {
            RateLimitResponse ok = envoy.call("edge", client);
            assertThat(ok.getOverallCode()).isEqualTo(Code.OK);
            assertThat(ok.getStatusesCount()).isEqualTo(1);
            DescriptorStatus status = ok.getStatuses(0);
            assertThat(status.getCode()).isEqualTo(Code.OK);
            assertThat(status.getCurrentLimit().getRequestsPerUnit()).isEqualTo(3);
            assertThat(status.getCurrentLimit().getUnit()).isEqualTo(RateLimit.Unit.HOUR);
            assertThat(status.getLimitRemaining()).isEqualTo(remaining);
            // a third of an hour per token taken, at most an hour in all
            assertThat(status.getDurationUntilReset().getSeconds()).isBetween(1L, 3_600L);
        }
        RateLimitResponse over = envoy.call("edge", client);
        assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(over.getStatuses(0).getCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(over.getStatuses(0).getLimitRemaining()).isZero();
        assertThat(over.getStatuses(0).getCurrentLimit().getRequestsPerUnit()).isEqualTo(3);
        Map<String, String> headers = over.getResponseHeadersToAddList().stream()
                .collect(Collectors.toMap(HeaderValue::getKey, HeaderValue::getValue));
        assertThat(headers).containsEntry("X-RateLimit-Limit", "3, 3;w=3600")
                .containsEntry("X-RateLimit-Remaining", "0")
                .containsKey("X-RateLimit-Reset");
    }

    @Test
    void eachValueOfARuleWithoutAFixedValueHasItsOwnBucketAndDomainsAreApart() {
        String first = unique();
        for (int i = 0; i < 3; i++) {
            assertThat(envoy.call("edge", descriptor("remote_address", first)).getOverallCode()).isEqualTo(Code.OK);
        }
        assertThat(envoy.call("edge", descriptor("remote_address", first)).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(envoy.call("edge", descriptor("remote_address", unique())).getStatuses(0).getLimitRemaining())
                .isEqualTo(2);
        // the same descriptor in another domain is another bucket with that domain's limit
        assertThat(envoy.call("other", descriptor("remote_address", first)).getStatuses(0).getLimitRemaining())
                .isEqualTo(99);
    }

    @Test
    void aFixedValueRuleWinsOverTheRuleForAnyValueAndOtherValuesOfAFixedRuleAreNotLimited() {
        RateLimitResponse vip = envoy.call("edge", descriptor("user", "vip"));
        assertThat(vip.getStatuses(0).getCurrentLimit().getRequestsPerUnit()).isEqualTo(1);
        assertThat(vip.getStatuses(0).getCurrentLimit().getUnit()).isEqualTo(RateLimit.Unit.DAY);

        RateLimitResponse someone = envoy.call("edge", descriptor("user", unique()));
        assertThat(someone.getStatuses(0).getCurrentLimit().getRequestsPerUnit()).isEqualTo(5);
        assertThat(someone.getStatuses(0).getLimitRemaining()).isEqualTo(4);

        RateLimitResponse login = envoy.call("edge", descriptor("path", "/login"));
        assertThat(login.getStatuses(0).getCurrentLimit().getUnit()).isEqualTo(RateLimit.Unit.MINUTE);
        // path has a rule for /login only: any other path, like a key without any rule, is OK without a limit
        for (RateLimitDescriptor free : new RateLimitDescriptor[] {descriptor("path", "/home"),
                descriptor("no_rule", unique())}) {
            RateLimitResponse answer = envoy.call("edge", free);
            assertThat(answer.getOverallCode()).isEqualTo(Code.OK);
            assertThat(answer.getStatuses(0).getCode()).isEqualTo(Code.OK);
            assertThat(answer.getStatuses(0).hasCurrentLimit()).isFalse();
        }
        // a domain without rules limits nothing
        assertThat(envoy.call("unknown-domain", descriptor("remote_address", unique())).getStatuses(0).hasCurrentLimit())
                .isFalse();
    }

    @Test
    void nestedRulesLimitOnlyTheWholeDescriptor() {
        String tenant = unique();
        RateLimitDescriptor gold = descriptor("tenant", tenant, "plan", "gold");
        assertThat(envoy.call("edge", gold).getStatuses(0).getLimitRemaining()).isEqualTo(1);
        assertThat(envoy.call("edge", gold).getStatuses(0).getLimitRemaining()).isZero();
        assertThat(envoy.call("edge", gold).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        // another tenant on the same plan has a bucket of its own
        assertThat(envoy.call("edge", descriptor("tenant", unique(), "plan", "gold")).getOverallCode())
                .isEqualTo(Code.OK);
        // the outer rule has no limit of its own, and the nested one is for gold only
        assertThat(envoy.call("edge", descriptor("tenant", tenant)).getStatuses(0).hasCurrentLimit()).isFalse();
        assertThat(envoy.call("edge", descriptor("tenant", tenant, "plan", "silver")).getStatuses(0).hasCurrentLimit())
                .isFalse();
        // more entries than the rules go deep match nothing
        assertThat(envoy.call("edge", descriptor("tenant", tenant, "plan", "gold", "x", "y")).getOverallCode())
                .isEqualTo(Code.OK);
    }

    @Test
    void hitsAddendTakesThatManyAndZeroMeansOne() {
        RateLimitDescriptor user = descriptor("user", unique());
        assertThat(envoy.call("edge", 3, user).getStatuses(0).getLimitRemaining()).isEqualTo(2);
        RateLimitResponse tooMany = envoy.call("edge", 3, user);
        assertThat(tooMany.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(tooMany.getStatuses(0).getLimitRemaining()).isEqualTo(2);
        assertThat(envoy.call("edge", 0, user).getStatuses(0).getLimitRemaining()).isEqualTo(1);
        // more than the bucket could ever hold: over the limit, nothing taken
        assertThat(envoy.call("edge", 6, user).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(envoy.call("edge", 1, user).getStatuses(0).getLimitRemaining()).isZero();
    }

    @Test
    void aDescriptorsOwnHitsAddendOverridesTheRequestsAndLimitedDescriptorsMustAgree() {
        RateLimitDescriptor user = descriptor("user", unique()).toBuilder()
                .setHitsAddend(com.google.protobuf.UInt64Value.of(2)).build();
        assertThat(envoy.call("edge", 1, user).getStatuses(0).getLimitRemaining()).isEqualTo(3);
        Status disagreeing = envoy.failure(RateLimitRequest.newBuilder().setDomain("edge").setHitsAddend(1)
                .addDescriptors(user).addDescriptors(descriptor("remote_address", unique())).build());
        assertThat(disagreeing.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(disagreeing.getDescription()).contains("descriptors[1].hits_addend");
    }

    @Test
    void severalDescriptorsAreAllChargedWhenAllAdmit() {
        String id = unique();
        RateLimitResponse both = envoy.call("edge", descriptor("small", id), descriptor("no_rule", id),
                descriptor("large", id));
        assertThat(both.getOverallCode()).isEqualTo(Code.OK);
        assertThat(both.getStatusesList()).extracting(DescriptorStatus::getCode).containsExactly(Code.OK, Code.OK, Code.OK);
        assertThat(both.getStatuses(0).getLimitRemaining()).isZero();
        assertThat(both.getStatuses(1).hasCurrentLimit()).isFalse();
        assertThat(both.getStatuses(2).getLimitRemaining()).isEqualTo(9);
        // the headers describe the tightest descriptor
        assertThat(both.getResponseHeadersToAddList()).contains(HeaderValue.newBuilder()
                .setKey("X-RateLimit-Remaining").setValue("0").build());
    }

    @Test
    void aDescriptorOverItsLimitLeavesTheOthersOfTheRequestUncharged() {
        String id = unique();
        assertThat(envoy.call("edge", descriptor("large", id)).getStatuses(0).getLimitRemaining()).isEqualTo(9);
        assertThat(envoy.call("edge", descriptor("small", id)).getStatuses(0).getLimitRemaining()).isZero();

        // small is empty: the request is over its limit, and large keeps its tokens
        RateLimitResponse denied = envoy.call("edge", descriptor("small", id), descriptor("large", id));
        assertThat(denied.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(denied.getStatuses(0).getCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(denied.getStatuses(1).getCode()).isEqualTo(Code.OK);
        assertThat(denied.getStatuses(1).getLimitRemaining()).isEqualTo(9);
        assertThat(envoy.call("edge", descriptor("large", id)).getStatuses(0).getLimitRemaining()).isEqualTo(8);
    }

    @Test
    void aShadowModeRuleCountsButNeverDenies() {
        String id = unique();
        assertThat(envoy.call("edge", descriptor("trial", id)).getStatuses(0).getLimitRemaining()).isZero();
        double before = registry.counter("qnsp.ratelimit.envoy.shadow.over-limit").count();
        RateLimitResponse over = envoy.call("edge", descriptor("trial", id), descriptor("large", id));
        assertThat(over.getOverallCode()).isEqualTo(Code.OK);
        assertThat(over.getStatuses(0).getCode()).isEqualTo(Code.OK);
        assertThat(over.getStatuses(0).getCurrentLimit().getRequestsPerUnit()).isEqualTo(1);
        assertThat(over.getStatuses(1).getLimitRemaining()).isEqualTo(9);
        assertThat(registry.counter("qnsp.ratelimit.envoy.shadow.over-limit").count()).isEqualTo(before + 1);
    }

    // --- platform API keys -----------------------------------------------------------------------------------------

    @Test
    void anApiKeyDescriptorChargesTheKeysOwnBucket() {
        String key = api.createKey("envoy", 1, 1000);
        long chargedAt = System.nanoTime();
        RateLimitResponse charged = envoy.call("any-domain", 500, descriptor("api_key", key));
        assertThat(charged.getOverallCode()).isEqualTo(Code.OK);
        DescriptorStatus status = charged.getStatuses(0);
        assertThat(status.getCurrentLimit().getName()).isEqualTo("api_key");
        assertThat(status.getCurrentLimit().getRequestsPerUnit()).isEqualTo(1);
        assertThat(status.getCurrentLimit().getUnit()).isEqualTo(RateLimit.Unit.SECOND);
        assertThat(status.getLimitRemaining()).isEqualTo(500);

        // the same bucket /v1/check charges: 500 are gone there too (it refills one a second meanwhile)
        long started = System.nanoTime();
        ResponseEntity<JsonNode> check = api.check(key, 1);
        assertThat(check.getStatusCode().value()).isEqualTo(200);
        long sinceCharged = (long) Math.ceil((System.nanoTime() - chargedAt) / 1e9) + 1;
        assertThat(check.getBody().get("remainingTokens").asLong()).isBetween(499L, 499L + sinceCharged);

        // and what /v1/check takes, Envoy sees: one token less, plus at most what refilled meanwhile (one a second)
        long afterCheck = check.getBody().get("remainingTokens").asLong();
        long seen = envoy.call("any-domain", 1, descriptor("api_key", key)).getStatuses(0).getLimitRemaining();
        long refilled = (long) Math.ceil((System.nanoTime() - started) / 1e9) + 1;
        assertThat(seen).isBetween(afterCheck - 1, afterCheck - 1 + refilled);

        // a cost the key's burst can never hold is over the limit, and nothing is taken
        RateLimitResponse tooMuch = envoy.call("any-domain", 1001, descriptor("api_key", key));
        assertThat(tooMuch.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    }

    @Test
    void anUnknownOrDisabledKeyIsOverTheLimitAndChargesNothingElse() {
        String id = unique();
        RateLimitResponse unknown = envoy.call("edge", descriptor("api_key", "RAT-not-a-key-" + id),
                descriptor("large", id));
        assertThat(unknown.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(unknown.getStatuses(0).getCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(unknown.getStatuses(0).hasCurrentLimit()).isFalse();
        assertThat(unknown.getStatuses(1).getCode()).isEqualTo(Code.OK);
        assertThat(envoy.call("edge", descriptor("large", id)).getStatuses(0).getLimitRemaining()).isEqualTo(9);

        String key = api.createKey("to-disable", 10, 10);
        assertThat(envoy.call("edge", descriptor("api_key", key)).getOverallCode()).isEqualTo(Code.OK);
        assertThat(api.adminPost("/v1/api-keys/{key}/disable", key).getStatusCode().is2xxSuccessful()).isTrue();
        assertThat(envoy.call("edge", descriptor("api_key", key)).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(api.adminPost("/v1/api-keys/{key}/enable", key).getStatusCode().is2xxSuccessful()).isTrue();
        assertThat(envoy.call("edge", descriptor("api_key", key)).getOverallCode()).isEqualTo(Code.OK);
    }

    // --- invalid requests ------------------------------------------------------------------------------------------

    @Test
    void invalidRequestsAnswerInvalidArgumentNamingTheField() {
        assertInvalid(RateLimitRequest.newBuilder().addDescriptors(descriptor("a", "b")).build(), "domain");
        assertInvalid(RateLimitRequest.newBuilder().setDomain("edge").build(), "descriptors");
        assertInvalid(RateLimitRequest.newBuilder().setDomain("edge").addDescriptors(descriptor("a", "b"))
                .addDescriptors(RateLimitDescriptor.getDefaultInstance()).build(), "descriptors[1].entries");
        assertInvalid(RateLimitRequest.newBuilder().setDomain("edge")
                .addDescriptors(descriptor("a", "b", "", "c")).build(), "descriptors[0].entries[1].key");
    }

    private void assertInvalid(RateLimitRequest request, String field) {
        Status status = envoy.failure(request);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).startsWith(field + " must");
    }

    // --- operations ------------------------------------------------------------------------------------------------

    @Test
    void callsAreCountedByOverallCodeAndTheHealthServiceAnswers() {
        double ok = registry.counter("qnsp.ratelimit.envoy.calls", "code", "ok").count();
        double invalid = registry.counter("qnsp.ratelimit.envoy.calls", "code", "invalid_argument").count();
        envoy.call("edge", descriptor("no_rule", unique()));
        envoy.failure(RateLimitRequest.newBuilder().setDomain("edge").build());
        assertThat(registry.counter("qnsp.ratelimit.envoy.calls", "code", "ok").count()).isEqualTo(ok + 1);
        assertThat(registry.counter("qnsp.ratelimit.envoy.calls", "code", "invalid_argument").count())
                .isEqualTo(invalid + 1);
        assertThat(registry.find("qnsp.ratelimit.envoy.duration").tag("code", "ok").timer().count()).isPositive();

        assertThat(envoy.health("")).isEqualTo(ServingStatus.SERVING);
        assertThat(envoy.health(RateLimitServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
    }
}
