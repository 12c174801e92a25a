package io.qnsp.common.security;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The resource server defaults: JWTs from the trusted issuer only, the admin token, public paths, family bodies. */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "qnsp.security.public-paths=/probe/**,/open/things",
                "qnsp.security.admin-token=" + PlatformSecurityTests.ADMIN_TOKEN,
                "qnsp.security.audience=qnsp-api",
                "logging.level.org.springframework.security=TRACE"})
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class PlatformSecurityTests {

    static final String ADMIN_TOKEN = "Adm1n-T0ken-Value-For-Tests";
    static final String AUDIENCE = "qnsp-api";

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = new TestHttp(port);
    }

    @Test
    void validJwtBecomesTheCaller() {
        String token = TestTokens.forTenant("tenant-42").subject("client-9").audience(AUDIENCE)
                .scopes("kms:read", "kms:write").roles("operator").addOns("byohsm", "key-escrow").plan("pro").mint();

        TestHttp.Response response = http.get("/secure/caller", "Authorization", TestHttp.bearer(token));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode caller = response.json();
        assertThat(caller.get("tenantId").asString()).isEqualTo("tenant-42");
        assertThat(caller.get("principal").asString()).isEqualTo("client-9");
        assertThat(strings(caller.get("scopes"))).containsExactly("kms:read", "kms:write");
        assertThat(strings(caller.get("roles"))).containsExactly("operator");
        assertThat(strings(caller.get("addOns"))).containsExactly("byohsm", "key-escrow");
        assertThat(caller.get("plan").asString()).isEqualTo("pro");
        assertThat(caller.get("sameAsCallersCurrent").asBoolean()).isTrue();
    }

    @Test
    void scopesMayComeAsAListOrAsScp() {
        String listed = TestTokens.forTenant("t1").audience(AUDIENCE).scopes("a:read", "b:read").scopesAsList().mint();
        String scp = TestTokens.forTenant("t1").audience(AUDIENCE).claim("scp", List.of("c:read")).mint();

        assertThat(strings(http.get("/secure/caller", "Authorization", TestHttp.bearer(listed)).json().get("scopes")))
                .containsExactly("a:read", "b:read");
        assertThat(strings(http.get("/secure/caller", "Authorization", TestHttp.bearer(scp)).json().get("scopes")))
                .containsExactly("c:read");
    }

    @Test
    void expiredTokenIs401() {
        assertInvalidToken(TestTokens.forTenant("t1").audience(AUDIENCE).expired().mint());
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        assertInvalidToken(TestTokens.forTenant("t1").audience(AUDIENCE).wrongIssuer().mint());
    }

    @Test
    void tokenWithABadSignatureIs401() {
        assertInvalidToken(TestTokens.forTenant("t1").audience(AUDIENCE).wrongSignature().mint());
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        assertInvalidToken(TestTokens.forTenant("t1").audience("some-other-api").mint());
        assertInvalidToken(TestTokens.forTenant("t1").mint());
    }

    @Test
    void garbageTokenIs401() {
        assertInvalidToken("not.a.jwt");
    }

    @Test
    void missingCredentialsAre401WithABearerChallenge() {
        TestHttp.Response response = http.get("/secure/caller");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        JsonNode body = response.json();
        assertThat(body.get("statusCode").asInt()).isEqualTo(401);
        assertThat(body.get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(body.get("message").asString()).isEqualTo("Authentication is required");
        assertThat(body.get("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void rightAdminTokenAuthenticatesThePlatformOperator() {
        TestHttp.Response response = http.get("/secure/caller", "X-Admin-Token", ADMIN_TOKEN);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode caller = response.json();
        assertThat(caller.get("tenantId").isNull()).isTrue();
        assertThat(caller.get("principal").asString()).isEqualTo("admin-token");
        assertThat(strings(caller.get("roles"))).containsExactly("admin");
        assertThat(caller.get("sameAsCallersCurrent").asBoolean()).isTrue();
    }

    @Test
    void theAdminTokensAuthenticationLastsIntoTheAsyncDispatch() {
        TestHttp.Response response = http.get("/secure/async-caller", "X-Admin-Token", ADMIN_TOKEN);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("admin-token");
    }

    @Test
    void wrongAdminTokenIs401AndNeverFallsThroughToTheJwt(CapturedOutput output) {
        String validJwt = TestTokens.forTenant("t1").audience(AUDIENCE).mint();
        String wrong = ADMIN_TOKEN + "x";

        TestHttp.Response alone = http.get("/secure/caller", "X-Admin-Token", wrong);
        TestHttp.Response withJwt = http.get("/secure/caller", "X-Admin-Token", wrong,
                "Authorization", TestHttp.bearer(validJwt));
        TestHttp.Response prefix = http.get("/secure/caller", "X-Admin-Token", ADMIN_TOKEN.substring(0, 5));

        for (TestHttp.Response response : List.of(alone, withJwt, prefix)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json().get("error").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(response.json().get("message").asString()).isEqualTo("The admin token is invalid");
            assertThat(response.body()).doesNotContain(ADMIN_TOKEN).doesNotContain(wrong);
        }
        assertThat(output.getAll()).doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void publicPathsNeedNoAuthentication() {
        assertThat(http.get("/probe/request-id").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        assertThat(http.get("/v3/api-docs").status()).isEqualTo(200);
        TestHttp.Response notPublic = http.get("/open/other");
        assertThat(notPublic.status()).isEqualTo(401);
    }

    @Test
    void everythingElseNeedsAuthenticationEvenUnknownRoutes() {
        assertThat(http.get("/secure/nowhere").status()).isEqualTo(401);
        String token = TestTokens.forTenant("t1").audience(AUDIENCE).mint();
        TestHttp.Response authenticated = http.get("/secure/nowhere", "Authorization", TestHttp.bearer(token));
        assertThat(authenticated.status()).isEqualTo(404);
        assertThat(authenticated.json().get("error").asString()).isEqualTo("NOT_FOUND");
    }

    private void assertInvalidToken(String token) {
        TestHttp.Response response = http.get("/secure/caller", "Authorization", TestHttp.bearer(token),
                "X-Request-Id", "bad-token-1");

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        JsonNode body = response.json();
        assertThat(body.get("statusCode").asInt()).isEqualTo(401);
        assertThat(body.get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(body.get("message").asString()).isEqualTo("The access token is invalid or expired");
        assertThat(body.get("requestId").asString()).isEqualTo("bad-token-1");
        assertThat(response.header("X-Request-Id")).isEqualTo("bad-token-1");
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
