package io.qnsp.auth.apikey;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyHasherTests {

    private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_SECRET = Base64.getEncoder().encodeToString("x".repeat(32).getBytes());

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ApiKeyHasher.class);

    @Test
    void theServiceDoesNotStartWithoutAProperSecret() {
        context.run(started -> assertThat(started).hasFailed().getFailure()
                .rootCause().hasMessageContaining("qnsp.auth.api-key-hash-secret is not configured"));
        context.withPropertyValues("qnsp.auth.api-key-hash-secret=" + Base64.getEncoder().encodeToString(new byte[31]))
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("at least 32 bytes"));
        context.withPropertyValues("qnsp.auth.api-key-hash-secret=not base64!")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("not valid base64"));
        context.withPropertyValues("qnsp.auth.api-key-hash-secret=" + SECRET)
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void theHashIsKeyedAndStable() {
        String key = "dh_live_" + "a".repeat(32);

        byte[] hash = new ApiKeyHasher(SECRET).hash(key);

        assertThat(hash).hasSize(32).isEqualTo(new ApiKeyHasher(SECRET).hash(key));
        assertThat(new ApiKeyHasher(OTHER_SECRET).hash(key)).isNotEqualTo(hash);
        assertThat(new ApiKeyHasher(SECRET).hash(key + "b")).isNotEqualTo(hash);
    }
}
