package io.qnsp.auth.token;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes the records of issued access tokens once they have expired, so the authorization table does not grow
 * with every client-credentials token ever issued.
 */
class OAuth2AuthorizationCleanup {

    private final JdbcTemplate jdbc;

    OAuth2AuthorizationCleanup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    void deleteExpired() {
        jdbc.update("DELETE FROM oauth2_authorization WHERE access_token_expires_at < now() - interval '1 hour'"
                + " AND (refresh_token_expires_at IS NULL OR refresh_token_expires_at < now())");
    }
}
