package io.qnsp.common.security;

import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/** Without an issuer configured the service still starts; JWTs are simply not accepted, the admin token is. */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "qnsp.security.admin-token=jwt-off-admin",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class JwtOffTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void bearerTokensAreRefusedAndTheAdminTokenWorks() {
        TestHttp http = new TestHttp(port);

        assertThat(context.getBeanProvider(JwtDecoder.class).getIfAvailable()).isNull();
        TestHttp.Response bearer = http.get("/secure/caller", "Authorization",
                TestHttp.bearer(TestTokens.forTenant("t1").mint()));
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.json().get("error").asString()).isEqualTo("UNAUTHORIZED");
        TestHttp.Response admin = http.get("/secure/caller", "X-Admin-Token", "jwt-off-admin");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("principal").asString()).isEqualTo("admin-token");
    }
}
