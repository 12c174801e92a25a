package io.qnsp.kms.agility.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.agility.ComplianceFramework;
import io.qnsp.kms.agility.CryptoAgility;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The crypto-agility reports: algorithm usage, migration readiness, post-quantum adoption, compliance and quantum
 * risk, each computed from the tenant's keys and operations when asked. Every report needs {@code kms:read}.
 */
@Tag(name = "Crypto agility")
@RestController
@RequestMapping("/kms/v1/crypto-agility")
class CryptoAgilityController {

    private final CryptoAgility agility;

    CryptoAgilityController(CryptoAgility agility) {
        this.agility = agility;
    }

    @Operation(summary = "Get the algorithm usage report", operationId = "agilityAlgorithmUsage",
            description = "One entry per algorithm the service offers: the keys whose current version uses it, its "
                    + "successful operations and its status under the transition policy (NIST SP 800-131A, "
                    + "NIST IR 8547, CNSA 2.0). Needs kms:read.")
    @GetMapping("/algorithm-usage")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.algorithm_usage.read",
            resourceType = "crypto_agility")
    CryptoAgility.AlgorithmUsageReport agilityAlgorithmUsage(Caller caller) {
        return agility.algorithmUsage(TenantRequired.tenantOf(caller));
    }

    @Operation(summary = "Assess the post-quantum migration readiness", operationId = "agilityMigrationReadiness",
            description = "Per category (encryption, signing, key_exchange), the share of keys already on a "
                    + "quantum-resistant algorithm, the keys that block a migration (not enabled, so not rotatable) "
                    + "and the rotations to make. Needs kms:read.")
    @GetMapping("/migration-readiness")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.migration_readiness.read",
            resourceType = "crypto_agility")
    CryptoAgility.MigrationReadiness agilityMigrationReadiness(Caller caller) {
        return agility.migrationReadiness(TenantRequired.tenantOf(caller));
    }

    @Operation(summary = "Get post-quantum adoption metrics and trends", operationId = "agilityPqcAdoption",
            description = "The keys on ML-KEM and ML-DSA now, and per UTC day the successful operations with "
                    + "post-quantum and with classical algorithms. Needs kms:read.")
    @GetMapping("/pqc-adoption")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.pqc_adoption.read",
            resourceType = "crypto_agility")
    CryptoAgility.PqcAdoption agilityPqcAdoption(Caller caller,
                                                 @Parameter(description = "days of trend, today included: 1 to "
                                                         + CryptoAgility.MAX_TREND_DAYS + ", "
                                                         + CryptoAgility.DEFAULT_TREND_DAYS + " by default")
                                                 @RequestParam(required = false) @Nullable Integer days) {
        return agility.pqcAdoption(TenantRequired.tenantOf(caller), days);
    }

    @Operation(summary = "Generate a cryptographic compliance report", operationId = "agilityCompliance",
            description = "Each control of the framework checked against every key it applies to; a failed "
                    + "control's findings name the offending keys (id and name). Needs kms:read.")
    @GetMapping("/compliance")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.compliance.read",
            resourceType = "crypto_agility")
    ComplianceFramework.Report agilityCompliance(Caller caller,
                                                 @Parameter(description = "NIST (SP 800-131A, IR 8547, SP 800-57), "
                                                         + "FIPS (FIPS 140-3, FIPS 203/204) or CNSA (CNSA 2.0); "
                                                         + "any case")
                                                 @RequestParam(required = false) @Nullable String framework) {
        return agility.compliance(TenantRequired.tenantOf(caller), framework);
    }

    @Operation(summary = "Get the quantum risk assessment", operationId = "agilityRiskAssessment",
            description = "Per algorithm its exposure to a quantum computer (RSA and ECC high, AES-128 medium, "
                    + "AES-256 and ML-KEM/ML-DSA low) and the keys using it; harvest-now-decrypt-later is flagged "
                    + "when a long-lived encryption key uses RSA or ECC. Needs kms:read.")
    @GetMapping("/risk-assessment")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.risk_assessment.read",
            resourceType = "crypto_agility")
    CryptoAgility.RiskAssessment agilityRiskAssessment(Caller caller) {
        return agility.riskAssessment(TenantRequired.tenantOf(caller));
    }
}
