package io.qnsp.vault.secret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Enforces the secrets' retention policies on a schedule ({@code qnsp.vault.secrets.retention-sweep-interval}).
 * Several instances may sweep at once: each batch locks the secrets it takes and skips those another instance (or a
 * write) holds, and a secret enforced within the interval is not taken again until it has passed.
 */
@Component
public class RetentionSweeper {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    /** What one sweep did, all tenants together. */
    public record Sweep(int secrets, int versionsDeleted) {
    }

    private final SecretManagement management;
    private final SecretSettings settings;

    RetentionSweeper(SecretManagement management, SecretSettings settings) {
        this.management = management;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${qnsp.vault.secrets.retention-sweep-interval:5m}",
            initialDelayString = "${qnsp.vault.secrets.retention-sweep-interval:5m}")
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("the retention sweep failed; the secrets it did not finish are taken again at the next one", e);
        }
    }

    /** Enforces every due secret's policy, one batch (one transaction) at a time. */
    public Sweep sweep() {
        int secrets = 0;
        int deleted = 0;
        SecretManagement.SweepBatch batch;
        do {
            batch = management.sweepRetentionBatch(settings.retentionSweepBatch());
            secrets += batch.secrets();
            deleted += batch.versionsDeleted();
        } while (batch.secrets() == settings.retentionSweepBatch());
        if (deleted > 0) {
            log.info("the retention sweep enforced {} secret(s) and removed {} version(s)", secrets, deleted);
        }
        return new Sweep(secrets, deleted);
    }
}
