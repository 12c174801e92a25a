package io.qnsp.kms.agility;

import com.fasterxml.jackson.annotation.JsonValue;
import io.qnsp.kms.key.Key;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.key.KeyManagement.KeyDetails;
import io.qnsp.kms.key.KeyManagement.VersionInfo;
import io.qnsp.kms.key.KeyUsage;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The compliance frameworks a report can be made for, each a list of controls checked key by key: a control
 * fails when a key it applies to breaks it (its finding names the key), and does not apply when no key is in its
 * scope.
 */
public enum ComplianceFramework {

    /** NIST SP 800-131A (algorithm transitions), NIST IR 8547 (post-quantum transition), SP 800-57 (cryptoperiods). */
    NIST(List.of(
            new Control("NIST-SP800-131A-1", "Keys use algorithms approved today (NIST SP 800-131A)", any(),
                    (details, at) -> status(details, at) == AlgorithmStatus.FORBIDDEN
                            ? "uses " + algorithm(details) + ", disallowed since " + policy(details).disallowedFrom()
                            : null),
            new Control("NIST-SP800-131A-2", "No key relies on a deprecated algorithm (NIST SP 800-131A)", any(),
                    (details, at) -> status(details, at) == AlgorithmStatus.DEPRECATED
                            ? "uses " + algorithm(details) + ", deprecated since " + policy(details).deprecatedFrom()
                            : null),
            new Control("NIST-IR8547-1", "Quantum-vulnerable algorithms are migrated to FIPS 203/204 algorithms "
                    + "before their deprecation (NIST IR 8547)", any(), ComplianceFramework::quantumVulnerable),
            new Control("NIST-SP800-57-1", "Each key's current version is younger than the "
                    + AlgorithmPolicy.MAX_CRYPTOPERIOD.toDays() + "-day cryptoperiod (NIST SP 800-57 Part 1)", any(),
                    ComplianceFramework::cryptoperiodExceeded))),

    /** FIPS 140-3 with its approved-algorithm lists (SP 800-140C/D) and the transitions of SP 800-131A. */
    FIPS(List.of(
            new Control("FIPS-140-3-ALG-1", "Only FIPS 140-3 approved algorithms (SP 800-140C)", any(),
                    (details, at) -> policy(details).fipsApproved() ? null
                            : "uses " + algorithm(details) + ", which is not FIPS-approved"),
            new Control("FIPS-140-3-ALG-2", "No algorithm past its SP 800-131A transition date", any(),
                    (details, at) -> switch (status(details, at)) {
                        case DEPRECATED -> "uses " + algorithm(details) + ", deprecated since "
                                + policy(details).deprecatedFrom();
                        case FORBIDDEN -> "uses " + algorithm(details) + ", disallowed since "
                                + policy(details).disallowedFrom();
                        default -> null;
                    }),
            new Control("FIPS-140-3-KEY-1", "Key material is generated inside the module by its approved DRBG "
                    + "(FIPS 140-3 SSP generation)", any(), (details, at) -> current(details).origin()
                    .equals("imported") ? "its current version " + details.key().currentVersion()
                    + " holds imported material, generated outside the module" : null),
            new Control("FIPS-203-204-1", "Asymmetric keys use the post-quantum standards (FIPS 203 ML-KEM, "
                    + "FIPS 204 ML-DSA)", details -> details.key().algorithm().asymmetric(),
                    ComplianceFramework::quantumVulnerable))),

    /** The NSA's Commercial National Security Algorithm Suite 2.0 (AES-256, ML-KEM-1024, ML-DSA-87). */
    CNSA(List.of(
            new Control("CNSA-2.0-1", "Symmetric encryption uses AES-256",
                    details -> !details.key().algorithm().asymmetric(), (details, at) ->
                    details.key().algorithm() == KeyAlgorithm.AES_256_GCM ? null
                            : "uses " + algorithm(details) + " instead of AES-256"),
            new Control("CNSA-2.0-2", "Key establishment uses ML-KEM-1024",
                    details -> details.key().algorithm().asymmetric()
                            && details.key().usage() != KeyUsage.SIGN_VERIFY,
                    (details, at) -> "uses " + algorithm(details) + "; CNSA 2.0 requires ML-KEM-1024"),
            new Control("CNSA-2.0-3", "Signatures use ML-DSA-87",
                    details -> details.key().usage() == KeyUsage.SIGN_VERIFY,
                    (details, at) -> "uses " + algorithm(details) + "; CNSA 2.0 requires ML-DSA-87")));

    /** What a control says about one key in its scope: the problem, {@code null} when the key keeps it. */
    interface Check {
        @Nullable String problem(KeyDetails details, Instant at);
    }

    record Control(String controlId, String name, Predicate<KeyDetails> appliesTo, Check check) {
    }

    public enum ControlStatus {
        PASSED, FAILED, NOT_APPLICABLE;

        @JsonValue
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum ComplianceStatus {
        COMPLIANT, PARTIAL, NON_COMPLIANT;

        @JsonValue
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record ControlResult(String controlId, String name, ControlStatus status,
                                @Schema(description = "one per offending key, naming its id and name")
                                List<String> findings) {
    }

    public record Report(String framework, ComplianceStatus complianceStatus,
                         @Schema(description = "share of the applicable controls passed, 0 to 100 (100 when none "
                                 + "applies)") double score,
                         List<ControlResult> controls, Instant generatedAt) {
    }

    private final List<Control> controls;

    ComplianceFramework(List<Control> controls) {
        this.controls = controls;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }

    /** @throws UnknownFramework when the name (any case) is none of {@link #names()} */
    static ComplianceFramework named(@Nullable String name) {
        if (name == null || name.isBlank()) {
            throw new UnknownFramework("is required");
        }
        for (ComplianceFramework framework : values()) {
            if (framework.name().equalsIgnoreCase(name.strip())) {
                return framework;
            }
        }
        throw new UnknownFramework("is unknown");
    }

    Report report(List<KeyDetails> inventory, Instant at) {
        List<ControlResult> results = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        for (Control control : controls) {
            List<KeyDetails> inScope = inventory.stream().filter(control.appliesTo()).toList();
            List<String> findings = new ArrayList<>();
            for (KeyDetails details : inScope) {
                String problem = control.check().problem(details, at);
                if (problem != null) {
                    findings.add(CryptoAgility.name(details.key()) + ": " + problem);
                }
            }
            ControlStatus status = inScope.isEmpty() ? ControlStatus.NOT_APPLICABLE
                    : findings.isEmpty() ? ControlStatus.PASSED : ControlStatus.FAILED;
            if (status == ControlStatus.PASSED) {
                passed++;
            } else if (status == ControlStatus.FAILED) {
                failed++;
            }
            results.add(new ControlResult(control.controlId(), control.name(), status, findings));
        }
        ComplianceStatus overall = failed == 0 ? ComplianceStatus.COMPLIANT
                : passed == 0 ? ComplianceStatus.NON_COMPLIANT : ComplianceStatus.PARTIAL;
        double score = passed + failed == 0 ? 100 : CryptoAgility.percent(passed, passed + failed);
        return new Report(name(), overall, score, results, at);
    }

    private static Predicate<KeyDetails> any() {
        return details -> true;
    }

    private static AlgorithmPolicy.Entry policy(KeyDetails details) {
        return AlgorithmPolicy.of(details.key().algorithm());
    }

    private static String algorithm(KeyDetails details) {
        return details.key().algorithm().apiName();
    }

    private static AlgorithmStatus status(KeyDetails details, Instant at) {
        return policy(details).status(LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    private static VersionInfo current(KeyDetails details) {
        Key key = details.key();
        return details.versions().stream().filter(version -> version.version() == key.currentVersion()).findFirst()
                .orElseThrow();
    }

    private static @Nullable String quantumVulnerable(KeyDetails details, Instant at) {
        AlgorithmPolicy.Entry policy = policy(details);
        if (policy.quantumResistant()) {
            return null;
        }
        String deadline = policy.deprecatedFrom() == null || policy.disallowedFrom() == null ? ""
                : ": deprecated after " + policy.deprecatedFrom().minusDays(1).getYear() + " and disallowed after "
                + policy.disallowedFrom().minusDays(1).getYear();
        return "uses " + policy.algorithm() + ", quantum-vulnerable" + deadline + "; rotate it to "
                + AlgorithmPolicy.migrationTarget(details.key()).apiName();
    }

    private static @Nullable String cryptoperiodExceeded(KeyDetails details, Instant at) {
        Instant since = current(details).createdAt();
        return since.plus(AlgorithmPolicy.MAX_CRYPTOPERIOD).isBefore(at)
                ? "its current version " + details.key().currentVersion() + " dates from " + since
                + ", beyond the " + AlgorithmPolicy.MAX_CRYPTOPERIOD.toDays() + "-day cryptoperiod: rotate it"
                : null;
    }

    /** The framework asked for is none the service knows: a 400 that lists the known ones. */
    static class UnknownFramework extends io.qnsp.common.error.InvalidField {

        UnknownFramework(String problem) {
            super("framework", problem + ": one of " + String.join(", ", names()),
                    Map.of("knownFrameworks", names()));
        }
    }
}
