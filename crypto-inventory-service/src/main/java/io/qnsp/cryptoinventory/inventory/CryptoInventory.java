package io.qnsp.cryptoinventory.inventory;

import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes the inventory of a caller's tenant, fresh on every request: its kms keys (with their versions' algorithms
 * and rotation dates), the platform's token signing keys, the TLS certificates the service is given and, for a
 * tenant with the byohsm add-on, its HSM connections; with kms-service's classification of algorithms and its
 * migration readiness, so every figure derived here agrees with kms-service's crypto-agility reports.
 */
@Service
public class CryptoInventory {

    static final String BYOHSM = "byohsm";
    static final String KMS_READ = "kms:read";

    private final KmsKeys kms;
    private final PlatformSigningKeys signingKeys;
    private final TlsCertificates certificates;
    private final Clock clock;

    CryptoInventory(KmsKeys kms, PlatformSigningKeys signingKeys, TlsCertificates certificates, Clock clock) {
        this.kms = kms;
        this.signingKeys = signingKeys;
        this.certificates = certificates;
        this.clock = clock;
    }

    public Inventory take(Caller caller) {
        TenantRequired.tenantOf(caller);
        String token = bearerToken();
        Instant now = clock.instant();
        List<CryptoAsset> assets = new ArrayList<>(kms.keys(token));
        assets.addAll(signingKeys.keys());
        assets.addAll(certificates.assets(now));
        if (caller.hasAddOn(BYOHSM)) {
            assets.addAll(kms.hsmConnections(token));
        }
        return new Inventory(assets, new AlgorithmClassification(kms.risks(token)), kms.readiness(token), now);
    }

    /**
     * The tenant's BYOHSM connections at kms-service, for a caller whose tenant has the byohsm add-on and who holds
     * kms:read; none otherwise.
     */
    public List<CryptoAsset> hsmConnections(Caller caller) {
        TenantRequired.tenantOf(caller);
        if (!caller.hasAddOn(BYOHSM) || !caller.hasScope(KMS_READ)) {
            return List.of();
        }
        return kms.hsmConnections(bearerToken());
    }

    // The caller's own token, relayed to kms-service: kms-service scopes every answer to the token's tenant.
    private static String bearerToken() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
            return token.getToken().getTokenValue();
        }
        throw new IllegalStateException("the inventory is read for a caller authenticated by a bearer token");
    }
}
