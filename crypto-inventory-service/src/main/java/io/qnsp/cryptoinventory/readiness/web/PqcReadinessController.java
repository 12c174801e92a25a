package io.qnsp.cryptoinventory.readiness.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.qnsp.cryptoinventory.CryptoScopes;
import io.qnsp.cryptoinventory.readiness.PqcReadiness;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** PQC readiness: the tenant's score and the recommendations that raise it, computed from its inventory. */
@Tag(name = "PQC Readiness")
@RestController
@RequestMapping("/crypto/v1/pqc-readiness")
class PqcReadinessController {

    record Recommendations(List<PqcReadiness.Recommendation> recommendations) {
    }

    private final PqcReadiness readiness;

    PqcReadinessController(PqcReadiness readiness) {
        this.readiness = readiness;
    }

    @Operation(summary = "Calculate the PQC readiness score", operationId = "getPqcReadinessScore",
            description = "0 to 100: key management (kms-service's migration readiness), algorithms (quantum-"
                    + "resistant assets of the inventory), hardware (post-quantum capable devices) and policies "
                    + "(vulnerable algorithms in use that a deprecation policy retires), weighted 40/30/15/15. "
                    + "Needs crypto:read and kms:read.")
    @GetMapping("/score")
    @RequiredControls(scopes = {CryptoScopes.READ, CryptoScopes.KMS_READ}, audit = "crypto.pqc_readiness.scored")
    PqcReadiness.Score score(Caller caller) {
        return readiness.score(caller);
    }

    @Operation(summary = "Get PQC readiness recommendations", operationId = "getPqcReadinessRecommendations",
            description = "Highest priority first; impact is the score points the recommendation adds once carried "
                    + "out. Needs crypto:read and kms:read.")
    @GetMapping("/recommendations")
    @RequiredControls(scopes = {CryptoScopes.READ, CryptoScopes.KMS_READ},
            audit = "crypto.pqc_readiness.recommendations.read")
    Recommendations recommendations(Caller caller) {
        return new Recommendations(readiness.recommendations(caller));
    }
}
