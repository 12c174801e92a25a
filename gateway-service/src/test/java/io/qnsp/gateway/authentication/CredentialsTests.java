package io.qnsp.gateway.authentication;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTests {

    private static Credentials from(String... nameValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return Credentials.from(headers);
    }

    @Test
    void readsAnApiKeyFromEitherHeaderAndAJwtFromTheBearerHeader() {
        assertThat(from("X-API-Key", " dh_live_abc ")).isEqualTo(new Credentials.ApiKey("dh_live_abc"));
        assertThat(from("Authorization", "Bearer dh_live_abc")).isEqualTo(new Credentials.ApiKey("dh_live_abc"));
        assertThat(from("Authorization", "bearer eyJ.x.y")).isEqualTo(new Credentials.BearerToken("eyJ.x.y"));
        assertThat(from()).isEqualTo(new Credentials.None());
    }

    @Test
    void theApiKeyHeaderWinsOverAuthorization() {
        assertThat(from("X-API-Key", "dh_live_abc", "Authorization", "Bearer eyJ.x.y"))
                .isEqualTo(new Credentials.ApiKey("dh_live_abc"));
    }

    @Test
    void ambiguousEmptyOrForeignCredentialsAreUnusable() {
        assertThat(from("X-API-Key", "dh_a", "X-API-Key", "dh_b")).isInstanceOf(Credentials.Unusable.class);
        assertThat(from("X-API-Key", "  ")).isInstanceOf(Credentials.Unusable.class);
        assertThat(from("Authorization", "Bearer a", "Authorization", "Bearer b"))
                .isInstanceOf(Credentials.Unusable.class);
        assertThat(from("Authorization", "Basic dXNlcjpwYXNz")).isInstanceOf(Credentials.Unusable.class);
        assertThat(from("Authorization", "Bearer ")).isInstanceOf(Credentials.Unusable.class);
        assertThat(from("Authorization", "Bearer")).isInstanceOf(Credentials.Unusable.class);
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(from("X-API-Key", "dh_live_secret").toString()).doesNotContain("secret");
        assertThat(from("Authorization", "Bearer eyJsecret").toString()).doesNotContain("secret");
    }

    @Test
    void recognisesAnApiKeyInAnAuthorizationValue() {
        assertThat(Credentials.carriesApiKey("Bearer dh_live_abc")).isTrue();
        assertThat(Credentials.carriesApiKey("Bearer eyJ.x.y")).isFalse();
        assertThat(Credentials.carriesApiKey("Basic dh_abc")).isFalse();
        assertThat(Credentials.carriesApiKey(null)).isFalse();
    }
}
