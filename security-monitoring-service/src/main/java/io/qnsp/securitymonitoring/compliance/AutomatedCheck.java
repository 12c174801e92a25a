package io.qnsp.securitymonitoring.compliance;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The checks a control can be mapped to, each over one kind of evidence the platform holds for the tenant: its API
 * keys at auth-service, its keys at kms-service, its own response playbooks here.
 */
public enum AutomatedCheck {

    /** Every active API key was issued (or rotated into) within the last 90 days. */
    API_KEYS_ROTATED_WITHIN_90_DAYS("api_keys_rotated_within_90_days", Evidence.API_KEY),
    /** No active or deprecated API key went unused for more than 90 days. */
    NO_STALE_API_KEYS("no_stale_api_keys", Evidence.API_KEY),
    /** No active or deprecated API key carries the admin scope. */
    NO_ADMIN_API_KEYS("no_admin_api_keys", Evidence.API_KEY),
    /** Every active API key has an expiry. */
    API_KEYS_EXPIRE("api_keys_expire", Evidence.API_KEY),
    /** Every enabled kms key got new material (creation or rotation) within the last 365 days. */
    KMS_KEYS_ROTATED_WITHIN_365_DAYS("kms_keys_rotated_within_365_days", Evidence.KMS_KEY),
    /** An enabled playbook, not a dry run, revokes API keys on API key audit events. */
    API_KEY_ABUSE_RESPONSE("api_key_abuse_response", Evidence.PLAYBOOK),
    /** At least one enabled playbook that is not a dry run watches the audit stream. */
    AUDIT_EVENTS_MONITORED("audit_events_monitored", Evidence.PLAYBOOK);

    /** The kinds of evidence, as an assessment's scope.resourceTypes names them. */
    public enum Evidence {
        API_KEY("api_key"), KMS_KEY("kms_key"), PLAYBOOK("playbook");

        private final String resourceType;

        Evidence(String resourceType) {
            this.resourceType = resourceType;
        }

        public String resourceType() {
            return resourceType;
        }

        public static Optional<Evidence> of(String resourceType) {
            return Arrays.stream(values()).filter(e -> e.resourceType.equals(resourceType)).findFirst();
        }

        public static List<String> names() {
            return Arrays.stream(values()).map(Evidence::resourceType).toList();
        }
    }

    private final String checkName;
    private final Evidence evidence;

    AutomatedCheck(String checkName, Evidence evidence) {
        this.checkName = checkName;
        this.evidence = evidence;
    }

    public String checkName() {
        return checkName;
    }

    public Evidence evidence() {
        return evidence;
    }

    public static Optional<AutomatedCheck> of(String name) {
        return Arrays.stream(values()).filter(c -> c.checkName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(AutomatedCheck::checkName).toList();
    }
}
