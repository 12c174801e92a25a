package io.qnsp.kms.byohsm.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.byohsm.HealthMetrics;
import io.qnsp.kms.byohsm.HsmConnection;
import io.qnsp.kms.byohsm.HsmKey;
import io.qnsp.kms.byohsm.HsmManagement;
import io.qnsp.kms.byohsm.HsmManagement.HsmConnectionConfig;
import io.qnsp.kms.byohsm.HsmOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bring your own HSM: a tenant's PKCS#11 tokens, the keys generated in them, and wrap, unwrap, sign and verify run
 * there. Every path needs the {@code byohsm} add-on; reads need {@code kms:read}, changes {@code kms:write}, key use
 * {@code kms:use}.
 */
@Tag(name = "BYOHSM")
@RestController
@RequestMapping("/kms/v1/byohsm")
class ByohsmController {

    static final String ADD_ON = "byohsm";

    record HsmCreateConnectionRequest(@Nullable String name,
                                   @Schema(description = "thales, safenet, aws_cloudhsm, azure_managed_hsm or "
                                           + "google_cloud_hsm: each reached through its vendor's PKCS#11 library")
                                   @Nullable String provider,
                                   @Schema(description = "library (one of the operator's allowed PKCS#11 libraries), "
                                           + "slot (slot id) or slotListIndex, pin; endpoint, port and credentials "
                                           + "as the vendor's client needs them. The pin and credentials are "
                                           + "sealed and never returned")
                                   @Nullable HsmConnectionConfig connectionConfig,
                                   @Nullable Map<String, Object> metadata) {
    }

    record HsmUpdateConnectionRequest(@Nullable String name,
                                   @Schema(description = "the fields to change; a new library, slot or pin sends the "
                                           + "connection back to pending_validation")
                                   @Nullable HsmConnectionConfig connectionConfig,
                                   @Nullable Map<String, Object> metadata) {
    }

    record HsmCreatedConnection(UUID connectionId, String name, String provider,
                             @Schema(description = "pending_validation") String status, Instant createdAt) {
    }

    record HsmConnectionSummary(UUID connectionId, String name, String provider,
                             @Schema(description = "pending_validation, active, inactive or error") String status,
                             @Nullable Instant lastHealthCheckAt) {
    }

    record HsmConnectionList(List<HsmConnectionSummary> connections) {
    }

    record HsmConnectionConfigView(@Nullable String endpoint, @Nullable Integer port,
                                @Schema(description = "the PKCS#11 library") String library,
                                @Nullable Long slot, @Nullable Integer slotListIndex) {
    }

    record HsmHealthView(@Schema(description = "mean latency of the last 100 operations, null before the first")
                      @Nullable Double latencyMs,
                      @Schema(description = "share of the last 100 operations that failed, 0 to 1")
                      @Nullable Double errorRate,
                      @Nullable Instant lastSuccessfulOperation) {
    }

    record HsmConnectionView(UUID connectionId, String name, String provider, String status,
                          HsmConnectionConfigView connectionConfig, HsmHealthView healthMetrics, Instant createdAt,
                          Instant updatedAt) {
    }

    record HsmUpdatedConnection(UUID connectionId, Instant updatedAt) {
    }

    record HsmValidationDetails(boolean connectivity, boolean authentication,
                             @Schema(description = "the token's mechanisms, as JCA services (e.g. "
                                     + "Signature.RSASSA-PSS)") List<String> capabilities) {
    }

    record HsmValidationView(UUID connectionId, boolean valid, Instant validatedAt, HsmValidationDetails details,
                          @Schema(description = "what failed: library, slot or login, with the token's answer "
                                  + "(e.g. login failed: CKR_PIN_INCORRECT)") List<String> errors) {
    }

    record HsmKeyMetadata(@Nullable String name, @Nullable String description) {
    }

    record HsmCreateKeyRequest(@Nullable String connectionId,
                            @Schema(description = "aes, rsa, ec or pqc") @Nullable String keyType,
                            @Schema(description = "aes 128/192/256 (256), rsa 2048/3072/4096 (3072), ec 256/384 (256)")
                            @Nullable Integer keySize,
                            @Schema(description = "aes: AES-GCM (default) or AES-KWP; rsa: RSASSA-PSS or RSA-OAEP; "
                                    + "ec: SHA256withECDSA. The token must offer it")
                            @Nullable String algorithm,
                            @Schema(description = "encrypt, decrypt, sign, verify") @Nullable List<String> purpose,
                            @Nullable HsmKeyMetadata metadata) {
    }

    record HsmCreatedKey(UUID keyId, UUID connectionId, String keyType, String algorithm,
                      @Schema(description = "base64 X.509 SubjectPublicKeyInfo of an rsa or ec key")
                      @Nullable String publicKey, Instant createdAt) {
    }

    record HsmKeySummary(UUID keyId, UUID connectionId, String keyType, String algorithm, List<String> purpose,
                      @Nullable String publicKey, Instant createdAt) {

        static HsmKeySummary of(HsmKey key) {
            return new HsmKeySummary(key.keyId(), key.connectionId(), key.keyType(), key.algorithm(), key.purpose(),
                    encode(key.publicKey()), key.createdAt());
        }
    }

    record HsmKeyList(List<HsmKeySummary> keys) {
    }

    record HsmWrapRequest(@Nullable String wrappingKeyId, @Schema(description = "base64") @Nullable String keyToWrap,
                       @Schema(description = "the key's algorithm; it by default") @Nullable String algorithm) {

        @Override
        public String toString() {
            return "HsmWrapRequest[wrappingKeyId=" + wrappingKeyId + ", keyToWrap=***, algorithm=" + algorithm + "]";
        }
    }

    record HsmWrapResponse(@Schema(description = "base64") String wrappedKey, UUID wrappingKeyId, String algorithm) {
    }

    record HsmUnwrapRequest(@Nullable String unwrappingKeyId, @Schema(description = "base64") @Nullable String wrappedKey,
                         @Nullable String algorithm) {
    }

    record HsmUnwrapResponse(@Schema(description = "base64") String unwrappedKey) {

        @Override
        public String toString() {
            return "HsmUnwrapResponse[***]";
        }
    }

    record HsmSignRequest(@Nullable String keyId, @Schema(description = "base64") @Nullable String data,
                       @Nullable String algorithm) {
    }

    record HsmSignResponse(@Schema(description = "base64") String signature, UUID keyId, String algorithm) {
    }

    record HsmVerifyRequest(@Nullable String keyId, @Schema(description = "base64") @Nullable String data,
                         @Schema(description = "base64") @Nullable String signature, @Nullable String algorithm) {
    }

    record HsmVerifyResponse(boolean valid, UUID keyId) {
    }

    record HsmOperationView(UUID operationId, String type, @Nullable UUID keyId, Instant timestamp,
                         @Schema(description = "success or failure") String status, double latencyMs,
                         @Nullable String error) {
    }

    record HsmOperationList(List<HsmOperationView> operations) {
    }

    private final HsmManagement hsm;

    ByohsmController(HsmManagement hsm) {
        this.hsm = hsm;
    }

    @Operation(summary = "Register an external HSM connection", operationId = "byohsmCreateConnection",
            description = "Stores the token's address (a PKCS#11 library the operator allows, a slot) and its PIN, "
                    + "sealed. Validate it before use. Needs kms:write.")
    @PostMapping("/connections")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.byohsm.connection.created",
            resourceType = "hsm_connection", resourceId = "#result.connectionId")
    HsmCreatedConnection createConnection(Caller caller, @RequestBody HsmCreateConnectionRequest request) {
        HsmConnection c = hsm.register(TenantRequired.tenantOf(caller), request.name(), request.provider(),
                request.connectionConfig(), request.metadata());
        return new HsmCreatedConnection(c.connectionId(), c.name(), c.provider(), c.status(), c.createdAt());
    }

    @Operation(summary = "List HSM connections", operationId = "byohsmListConnections",
            description = "Oldest first. Needs kms:read.")
    @GetMapping("/connections")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.byohsm.connection.listed")
    HsmConnectionList listConnections(Caller caller) {
        return new HsmConnectionList(hsm.list(TenantRequired.tenantOf(caller)).stream()
                .map(c -> new HsmConnectionSummary(c.connectionId(), c.name(), c.provider(), c.status(),
                        c.lastHealthCheckAt())).toList());
    }

    @Operation(summary = "Get HSM connection details", operationId = "byohsmGetConnection",
            description = "With health metrics computed from the connection's real operations. Needs kms:read.")
    @GetMapping("/connections/{connectionId}")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.byohsm.connection.read",
            resourceType = "hsm_connection", resourceId = "#connectionId")
    HsmConnectionView getConnection(Caller caller, @PathVariable String connectionId) {
        HsmConnection c = hsm.connection(TenantRequired.tenantOf(caller), connectionId);
        HealthMetrics health = hsm.health(c);
        return new HsmConnectionView(c.connectionId(), c.name(), c.provider(), c.status(),
                new HsmConnectionConfigView(c.endpoint(), c.port(), c.library(), c.slot(), c.slotListIndex()),
                new HsmHealthView(health.latencyMs(), health.errorRate(), health.lastSuccessfulOperation()),
                c.createdAt(), c.updatedAt());
    }

    @Operation(summary = "Update an HSM connection", operationId = "byohsmUpdateConnection",
            description = "Needs kms:write.")
    @PatchMapping("/connections/{connectionId}")
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.byohsm.connection.updated",
            resourceType = "hsm_connection", resourceId = "#connectionId")
    HsmUpdatedConnection updateConnection(Caller caller, @PathVariable String connectionId,
                                       @RequestBody HsmUpdateConnectionRequest request) {
        HsmConnection c = hsm.update(TenantRequired.tenantOf(caller), connectionId, request.name(),
                request.connectionConfig(), request.metadata());
        return new HsmUpdatedConnection(c.connectionId(), c.updatedAt());
    }

    @Operation(summary = "Delete an HSM connection", operationId = "byohsmDeleteConnection",
            description = "Forgets the connection, its keys' records and its operations; the keys stay in the token. "
                    + "Needs kms:write.")
    @DeleteMapping("/connections/{connectionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.byohsm.connection.deleted",
            resourceType = "hsm_connection", resourceId = "#connectionId")
    void deleteConnection(Caller caller, @PathVariable String connectionId) {
        hsm.delete(TenantRequired.tenantOf(caller), connectionId);
    }

    @Operation(summary = "Validate an HSM connection", operationId = "byohsmValidateConnection",
            description = "Loads the library, opens a session on the slot and logs in with the PIN; lists the token's "
                    + "mechanisms. A failure is reported in errors (valid false), naming what failed. Needs "
                    + "kms:write.")
    @PostMapping("/connections/{connectionId}/validate")
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, audit = "kms.byohsm.connection.validated",
            resourceType = "hsm_connection", resourceId = "#connectionId")
    HsmValidationView validate(Caller caller, @PathVariable String connectionId) {
        HsmManagement.Validation v = hsm.validate(TenantRequired.tenantOf(caller), connectionId);
        return new HsmValidationView(v.connectionId(), v.valid(), v.validatedAt(),
                new HsmValidationDetails(v.connectivity(), v.authentication(), v.capabilities()), v.errors());
    }

    @Operation(summary = "List operations on an HSM connection", operationId = "byohsmListOperations",
            description = "Newest first. Needs kms:read.")
    @GetMapping("/connections/{connectionId}/operations")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.byohsm.operations.listed",
            resourceType = "hsm_connection", resourceId = "#connectionId")
    HsmOperationList operations(Caller caller, @PathVariable String connectionId,
                             @Parameter(description = "1 to 1000, 100 by default") @RequestParam(required = false)
                             @Nullable Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw new InvalidField("limit", "must be between 1 and 1000");
        }
        List<HsmOperation> operations = hsm.operations(TenantRequired.tenantOf(caller), connectionId, size);
        return new HsmOperationList(operations.stream().map(o -> new HsmOperationView(o.operationId(), o.type(), o.keyId(),
                o.timestamp(), o.status(), o.latencyMs(), o.error())).toList());
    }

    @Operation(summary = "Create a key on an external HSM", operationId = "byohsmCreateKey",
            description = "The key is generated inside the token and stays there. Needs kms:write.")
    @FailureResponse(status = 422, description = "The connection's token could not be used (library, slot, login)")
    @FailureResponse(status = 404, description = "The tenant has no such connection")
    @PostMapping("/keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, addOn = ADD_ON, quota = "kms.hsm.keys",
            audit = "kms.byohsm.key.created", resourceType = "hsm_key", resourceId = "#result.keyId",
            metering = "kms.hsm.key.create")
    HsmCreatedKey createKey(Caller caller, @RequestBody HsmCreateKeyRequest request) {
        HsmKeyMetadata metadata = request.metadata();
        HsmKey key = hsm.createKey(TenantRequired.tenantOf(caller), new HsmManagement.NewKey(request.connectionId(),
                request.keyType(), request.keySize(), request.algorithm(), request.purpose(),
                metadata == null ? null : metadata.name(), metadata == null ? null : metadata.description()));
        return new HsmCreatedKey(key.keyId(), key.connectionId(), key.keyType(), key.algorithm(),
                encode(key.publicKey()), key.createdAt());
    }

    @Operation(summary = "List keys on external HSMs", operationId = "byohsmListKeys",
            description = "Oldest first. Needs kms:read.")
    @GetMapping("/keys")
    @RequiredControls(scopes = KmsScopes.READ, addOn = ADD_ON, audit = "kms.byohsm.key.listed")
    HsmKeyList listKeys(Caller caller) {
        return new HsmKeyList(hsm.keys(TenantRequired.tenantOf(caller)).stream().map(HsmKeySummary::of).toList());
    }

    @Operation(summary = "Wrap a key using an external HSM", operationId = "byohsmWrap",
            description = "Encrypts the key given under a key held in the token. Needs kms:use.")
    @FailureResponse(status = 422, description = "The connection's token could not be used (library, slot, login)")
    @FailureResponse(status = 404, description = "The tenant has no such key")
    @PostMapping("/wrap")
    @RequiredControls(scopes = KmsScopes.USE, addOn = ADD_ON, quota = "kms.hsm.operations",
            audit = "kms.byohsm.wrap", resourceType = "hsm_key", resourceId = "#result.wrappingKeyId",
            metering = "kms.hsm.wrap")
    HsmWrapResponse wrap(Caller caller, @RequestBody HsmWrapRequest request) {
        HsmManagement.Wrapped wrapped = hsm.wrap(TenantRequired.tenantOf(caller), request.wrappingKeyId(),
                request.keyToWrap(), request.algorithm());
        return new HsmWrapResponse(Base64.getEncoder().encodeToString(wrapped.wrappedKey()), wrapped.key().keyId(),
                wrapped.key().algorithm());
    }

    @Operation(summary = "Unwrap a key using an external HSM", operationId = "byohsmUnwrap",
            description = "Needs kms:use.")
    @FailureResponse(status = 422, description = "The connection's token could not be used (library, slot, login)")
    @FailureResponse(status = 404, description = "The tenant has no such key")
    @PostMapping("/unwrap")
    @RequiredControls(scopes = KmsScopes.USE, addOn = ADD_ON, quota = "kms.hsm.operations",
            audit = "kms.byohsm.unwrap", resourceType = "hsm_key", resourceId = "#request.unwrappingKeyId",
            metering = "kms.hsm.unwrap")
    HsmUnwrapResponse unwrap(Caller caller, @RequestBody HsmUnwrapRequest request) {
        return new HsmUnwrapResponse(Base64.getEncoder().encodeToString(hsm.unwrap(TenantRequired.tenantOf(caller),
                request.unwrappingKeyId(), request.wrappedKey(), request.algorithm())));
    }

    @Operation(summary = "Sign data using an external HSM", operationId = "byohsmSign",
            description = "RSASSA-PSS (SHA-256, MGF1, 32-byte salt) or SHA256withECDSA (DER), in the token. "
                    + "Needs kms:use.")
    @FailureResponse(status = 422, description = "The connection's token could not be used (library, slot, login)")
    @FailureResponse(status = 404, description = "The tenant has no such key")
    @PostMapping("/sign")
    @RequiredControls(scopes = KmsScopes.USE, addOn = ADD_ON, quota = "kms.hsm.operations",
            audit = "kms.byohsm.sign", resourceType = "hsm_key", resourceId = "#request.keyId",
            metering = "kms.hsm.sign")
    HsmSignResponse sign(Caller caller, @RequestBody HsmSignRequest request) {
        HsmManagement.Signed signed = hsm.sign(TenantRequired.tenantOf(caller), request.keyId(), request.data(),
                request.algorithm());
        return new HsmSignResponse(Base64.getEncoder().encodeToString(signed.signature()), signed.key().keyId(),
                signed.key().algorithm());
    }

    @Operation(summary = "Verify a signature using an external HSM", operationId = "byohsmVerify",
            description = "Needs kms:use.")
    @FailureResponse(status = 422, description = "The connection's token could not be used (library, slot, login)")
    @FailureResponse(status = 404, description = "The tenant has no such key")
    @PostMapping("/verify")
    @RequiredControls(scopes = KmsScopes.USE, addOn = ADD_ON, audit = "kms.byohsm.verify", resourceType = "hsm_key",
            resourceId = "#request.keyId")
    HsmVerifyResponse verify(Caller caller, @RequestBody HsmVerifyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        boolean valid = hsm.verify(tenant, request.keyId(), request.data(), request.signature(), request.algorithm());
        return new HsmVerifyResponse(valid, UUID.fromString(request.keyId()));
    }

    private static @Nullable String encode(byte @Nullable [] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
