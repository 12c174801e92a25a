package io.qnsp.vault.leak;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Leak detection: where scans read from and how much work they may do.
 *
 * @param github the GitHub API
 * @param gitlab the GitLab API
 * @param git    git repositories scanned by URL or path
 * @param scans  the scan workers
 */
@Validated
@ConfigurationProperties("qnsp.vault.leak")
public record LeakSettings(@DefaultValue @Valid Hosted github, @DefaultValue @Valid GitLabHost gitlab,
                           @DefaultValue @Valid Git git, @DefaultValue @Valid Scans scans) {

    /**
     * GitHub's REST API.
     *
     * @param apiUrl its base URL (GitHub Enterprise: {@code https://host/api/v3})
     * @param token  a token that can read the organizations and repositories scanned; none: public ones only
     */
    public record Hosted(@DefaultValue("https://api.github.com") @NotNull URI apiUrl, @DefaultValue("") String token) {

        @Override
        public String toString() {
            return "Hosted[apiUrl=" + apiUrl + ", token=" + (token.isBlank() ? "none" : "set") + "]";
        }
    }

    /**
     * GitLab's REST API (v4).
     *
     * @param apiUrl its base URL, ending in {@code /api/v4}
     * @param token  a personal, group or project access token with {@code read_api} and {@code read_repository}
     */
    public record GitLabHost(@DefaultValue("https://gitlab.com/api/v4") @NotNull URI apiUrl,
                             @DefaultValue("") String token) {

        @Override
        public String toString() {
            return "GitLabHost[apiUrl=" + apiUrl + ", token=" + (token.isBlank() ? "none" : "set") + "]";
        }
    }

    /**
     * Git repositories given by URL or path.
     *
     * @param localRoots    the directories under which local repositories (a path or {@code file://} URL) may be read;
     *                      none by default, so no local path is accepted
     * @param remoteClones  whether {@code http(s)://} repositories may be cloned
     * @param cloneHosts    the hosts they may be cloned from; any host when empty
     * @param cloneTimeout  how long a clone may wait on the network between two packets
     * @param workDirectory where clones are made (and deleted after the scan); the system's temporary directory when
     *                      not set
     */
    public record Git(@DefaultValue List<Path> localRoots, @DefaultValue("true") boolean remoteClones,
                      @DefaultValue List<String> cloneHosts, @DefaultValue("2m") Duration cloneTimeout,
                      @Nullable Path workDirectory) {

        public Path workDirectoryOrTemp() {
            return workDirectory != null ? workDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        }
    }

    /**
     * The scan workers of this instance.
     *
     * @param threads                     how many scans this instance runs at once (a bounded pool; others wait
     *                                    queued in the database for any instance with a free thread)
     * @param pollInterval                how often queued scans are looked for (a scan is also started at once when
     *                                    it is submitted to an instance with a free thread)
     * @param heartbeatInterval           how often a running scan's row is touched
     * @param staleAfter                  a running scan not touched for this long is failed: its instance stopped
     * @param maxFileSize                 larger files are skipped
     * @param maxLineLength               a longer line is read up to this length
     * @param regexStepBudget             characters a regular expression may read per line before giving up on it
     * @param estimatePerRepository       the time one repository is assumed to take before any scan has completed
     * @param repositoriesPerOrganization the repositories an organization is assumed to hold, for the estimate
     * @param connectTimeout              connecting to a code host's API
     * @param readTimeout                 waiting for a code host's answer
     * @param run                         whether this instance runs scans; with false it only queues them for the
     *                                    instances that do
     */
    public record Scans(@DefaultValue("2") @Min(1) @Max(32) int threads, @DefaultValue("5s") Duration pollInterval,
                        @DefaultValue("15s") Duration heartbeatInterval, @DefaultValue("5m") Duration staleAfter,
                        @DefaultValue("1MB") DataSize maxFileSize, @DefaultValue("20000") @Min(100) int maxLineLength,
                        @DefaultValue("1000000") @Min(1000) long regexStepBudget,
                        @DefaultValue("20s") Duration estimatePerRepository,
                        @DefaultValue("10") @Min(1) int repositoriesPerOrganization,
                        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
                        @DefaultValue("true") boolean run) {
    }
}
