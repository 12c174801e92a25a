package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.kms.DependencyDown;
import io.qnsp.vault.generate.SecretGenerators;
import io.qnsp.vault.secret.StoredSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The actions a scan takes when it opens an incident, each recorded in the incident's timeline with its result:
 * {@code alert} (always: the incident, and its notification event), then {@code rotate} (a new version of each
 * stored secret whose current version leaked, once per secret and scan) and {@code revoke} (each leaked version that
 * is still active is deprecated, not destroyed: a false positive can be undone, and destroying stays a person's
 * decision through the versioned secrets API).
 */
@Component
class Remediation {

    private static final Logger log = LoggerFactory.getLogger(Remediation.class);

    private final StoredSecrets secrets;
    private final IncidentManagement incidents;

    Remediation(StoredSecrets secrets, IncidentManagement incidents) {
        this.secrets = secrets;
        this.incidents = incidents;
    }

    /** What was already done to the tenant's secrets during one scan, so that a secret leaked twice is rotated once. */
    static final class Done {
        final Set<String> rotated = new java.util.HashSet<>();
        final Set<String> retired = new java.util.HashSet<>();
    }

    void apply(LeakScan scan, Incident incident, List<StoredSecrets.VersionMatch> matches,
               Set<DetectionAction> actions, String generator, List<String> channels, Done done) {
        incidents.recordAction(incident.incidentId(), scan.scanId(), DetectionAction.ALERT.apiName(),
                channels.isEmpty() ? "incident opened; the policy names no notification channel"
                        : "incident opened; notification published for " + String.join(", ", channels));
        String reason = "leak detected by scan " + scan.scanId() + " (incident " + incident.incidentId() + ")";
        if (actions.contains(DetectionAction.ROTATE)) {
            if (matches.isEmpty()) {
                record(scan, incident, DetectionAction.ROTATE, "not taken: the value is none of the tenant's "
                        + "stored secrets");
            }
            Map<String, StoredSecrets.VersionMatch> newestPerSecret = new LinkedHashMap<>();
            matches.forEach(m -> newestPerSecret.putIfAbsent(m.secretId(), m));
            for (StoredSecrets.VersionMatch match : newestPerSecret.values()) {
                record(scan, incident, DetectionAction.ROTATE, rotate(scan, match, generator, reason, done));
            }
        }
        if (actions.contains(DetectionAction.REVOKE)) {
            if (matches.isEmpty()) {
                record(scan, incident, DetectionAction.REVOKE, "not taken: the value is none of the tenant's "
                        + "stored secrets");
            }
            for (StoredSecrets.VersionMatch match : matches) {
                record(scan, incident, DetectionAction.REVOKE, revoke(scan, match, reason, done));
            }
        }
    }

    private String rotate(LeakScan scan, StoredSecrets.VersionMatch match, String generator, String reason,
                          Done done) {
        if (done.rotated.contains(match.secretId())) {
            return "not taken: secret " + match.secretId() + " was rotated already by this scan";
        }
        if (!match.current()) {
            return "not taken: the leaked version " + match.version() + " of secret " + match.secretId()
                    + " is not its current version";
        }
        try {
            int version = secrets.rotate(scan.tenantId(), match.secretId(), SecretGenerators.generate(generator),
                    reason, scan.requestedBy());
            done.rotated.add(match.secretId());
            return "rotated secret " + match.secretId() + ": version " + version + " written with generator "
                    + generator + ", replacing leaked version " + match.version();
        } catch (DependencyDown e) {
            return "failed: kms-service could not be reached; rotate secret " + match.secretId() + " by hand";
        } catch (ApiException e) {
            return "failed: " + e.getMessage();
        } catch (RuntimeException e) {
            log.warn("Rotating secret {} after scan {} failed: {}", match.secretId(), scan.scanId(),
                    e.getClass().getName());
            return "failed: an unexpected error; rotate secret " + match.secretId() + " by hand";
        }
    }

    private String revoke(LeakScan scan, StoredSecrets.VersionMatch match, String reason, Done done) {
        String key = match.secretId() + "\n" + match.version();
        if (done.retired.contains(key) || !"active".equals(match.state())) {
            return "not taken: version " + match.version() + " of secret " + match.secretId() + " is already "
                    + (done.retired.contains(key) ? "deprecated" : match.state());
        }
        try {
            secrets.retire(scan.tenantId(), match.secretId(), match.version(), "deprecated", reason,
                    scan.requestedBy());
            done.retired.add(key);
            return "deprecated version " + match.version() + " of secret " + match.secretId();
        } catch (ApiException e) {
            return "failed: " + e.getMessage();
        } catch (RuntimeException e) {
            log.warn("Deprecating version {} of secret {} after scan {} failed: {}", match.version(),
                    match.secretId(), scan.scanId(), e.getClass().getName());
            return "failed: an unexpected error; deprecate version " + match.version() + " of secret "
                    + match.secretId() + " by hand";
        }
    }

    private void record(LeakScan scan, Incident incident, DetectionAction action, String result) {
        incidents.recordAction(incident.incidentId(), scan.scanId(), action.apiName(), result);
    }
}
