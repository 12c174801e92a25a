package io.qnsp.auth.federation;

import java.util.Map;

/**
 * An identity-provider event to record, as the caller sent it (checked by {@link FederationAuditManagement}).
 *
 * @param eventType      what happened, e.g. {@code login}; an open set of lower-case names
 * @param provider       the identity provider, e.g. {@code okta}
 * @param userId         the user at that provider
 * @param outcome        success or failure
 * @param metadata       free-form context, may be {@code null}
 * @param targetTenantId the other tenant a user of the caller's tenant acted in, or {@code null}
 * @param timestamp      when it happened at the provider (ISO-8601 with offset), {@code null} for now
 */
public record NewEvent(String eventType, String provider, String userId, Outcome outcome,
                       Map<String, Object> metadata, String targetTenantId, String timestamp) {
}
