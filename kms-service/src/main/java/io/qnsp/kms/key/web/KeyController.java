package io.qnsp.kms.key.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.key.Key;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.key.KeyManagement;
import io.qnsp.kms.key.KeyState;
import io.qnsp.kms.key.KeyUsage;
import io.qnsp.kms.key.NewKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The key API: create (generated or imported material), list, read, rotate, describe, enable, disable, and schedule
 * or cancel deletion. Reading needs {@code kms:read}, every change {@code kms:write}.
 */
@Tag(name = "Keys")
@RestController
@RequestMapping("/kms/v1/keys")
class KeyController {

    static final int MAX_PAGE = 100;

    record CreateKeyRequest(@Nullable String name, @Nullable String description,
                            @Schema(description = "AES-256-GCM, RSA-3072, EC-P256, ML-KEM-768 or ML-DSA-65")
                            @Nullable String algorithm,
                            @Schema(description = "encrypt_decrypt, sign_verify or key_encapsulation; the "
                                    + "algorithm's own by default (RSA-3072 does either, encrypt_decrypt unless set)")
                            @Nullable String usage,
                            @Schema(description = "base64 material to import instead of generating it: 32 raw bytes "
                                    + "for AES-256-GCM, a PKCS#8 private key otherwise")
                            @Nullable String keyMaterial,
                            @Schema(description = "base64 X.509 SubjectPublicKeyInfo of the imported private key")
                            @Nullable String publicKey) {

        @Override
        public String toString() {
            // never the imported material
            return "CreateKeyRequest[name=" + name + ", algorithm=" + algorithm + ", usage=" + usage
                    + ", keyMaterial=" + (keyMaterial == null ? null : "***") + "]";
        }
    }

    record UpdateKeyRequest(@Nullable String description) {
    }

    record RotateKeyRequest(@Schema(description = "the new version's algorithm; the key's own when left out. A "
            + "signing key moves to another signing algorithm (e.g. EC-P256 to ML-DSA-65), an encrypting key to "
            + "another encrypting one (e.g. RSA-3072 to ML-KEM-768)") @Nullable String algorithm) {
    }

    record ScheduleDeletionRequest(
            @Schema(description = "days before the material is destroyed, 7 to 30 (30 when left out)")
            @Nullable Integer pendingWindowInDays) {
    }

    record VersionView(int version, KeyAlgorithm algorithm,
                       @Schema(description = "generated or imported") String origin, Instant createdAt) {
    }

    record KeyView(UUID keyId, String name, @Nullable String description, KeyAlgorithm algorithm, KeyUsage usage,
                   KeyState state, int currentVersion, List<VersionView> versions, Instant createdAt,
                   Instant updatedAt, @Nullable Instant rotatedAt, @Nullable Instant deletionDate) {

        static KeyView of(KeyManagement.KeyDetails details) {
            Key key = details.key();
            return new KeyView(key.keyId(), key.name(), key.description(), key.algorithm(), key.usage(), key.state(),
                    key.currentVersion(), details.versions().stream()
                    .map(v -> new VersionView(v.version(), v.algorithm(), v.origin(), v.createdAt())).toList(),
                    key.createdAt(), key.updatedAt(), key.rotatedAt(), key.deletionDate());
        }
    }

    record KeySummary(UUID keyId, String name, KeyAlgorithm algorithm, KeyUsage usage, KeyState state,
                      int currentVersion, Instant createdAt, @Nullable Instant deletionDate) {

        static KeySummary of(Key key) {
            return new KeySummary(key.keyId(), key.name(), key.algorithm(), key.usage(), key.state(),
                    key.currentVersion(), key.createdAt(), key.deletionDate());
        }
    }

    record KeyList(List<KeySummary> keys, long total, int limit, int offset) {
    }

    record PublicKeyView(UUID keyId, int keyVersion, KeyAlgorithm algorithm,
                         @Schema(description = "base64 DER X.509 SubjectPublicKeyInfo") String publicKey,
                         @Schema(description = "the same in PEM") String pem) {
    }

    private final KeyManagement keys;

    KeyController(KeyManagement keys) {
        this.keys = keys;
    }

    @Operation(summary = "Create a key", operationId = "createKey",
            description = "Generates the key material, or imports the material given (keyMaterial, plus publicKey "
                    + "for an asymmetric key; the two are checked to belong together). Needs kms:write.")
    @ApiResponse(responseCode = "201", description = "The key was created",
            headers = @Header(name = "Location", description = "The new key's URL",
                    schema = @Schema(type = "string", format = "uri")))
    @FailureResponse(status = 409, description = "The tenant already has a key of this name")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, quota = "kms.keys", audit = "kms.key.created", resourceType = "key",
            resourceId = "#result.keyId", metering = "kms.key.create")
    ResponseEntity<KeyView> create(Caller caller, @RequestBody CreateKeyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        NewKey key = NewKey.of(request.name(), request.description(), request.algorithm(), request.usage(),
                request.keyMaterial(), request.publicKey());
        KeyView created = KeyView.of(keys.create(tenant, key));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.keyId()).toUri()).body(created);
    }

    @Operation(summary = "List the keys, oldest first", operationId = "listKeys",
            description = "Deleted keys are not listed. Needs kms:read.")
    @GetMapping
    @RequiredControls(scopes = KmsScopes.READ)
    KeyList list(Caller caller,
                 @Parameter(description = "enabled, disabled or pending_deletion") @RequestParam(required = false)
                 @Nullable String state,
                 @Parameter(description = "one algorithm, e.g. ML-KEM-768") @RequestParam(required = false)
                 @Nullable String algorithm,
                 @Parameter(description = "1 to 100, 50 by default") @RequestParam(required = false)
                 @Nullable Integer limit,
                 @Parameter(description = "keys to skip, 0 by default") @RequestParam(required = false)
                 @Nullable Integer offset) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        KeyState stateFilter = null;
        if (state != null) {
            stateFilter = switch (state) {
                case "enabled" -> KeyState.ENABLED;
                case "disabled" -> KeyState.DISABLED;
                case "pending_deletion" -> KeyState.PENDING_DELETION;
                default -> {
                    problems.add("state", "must be one of enabled, disabled, pending_deletion");
                    yield null;
                }
            };
        }
        KeyAlgorithm algorithmFilter = algorithm == null ? null : KeyAlgorithm.fromApiName(algorithm);
        if (algorithm != null && algorithmFilter == null) {
            problems.add("algorithm", "must be one of " + KeyAlgorithm.apiNames());
        }
        int pageSize = limit == null ? 50 : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.add("limit", "must be between 1 and " + MAX_PAGE);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        problems.throwIfAny();
        List<KeySummary> page = keys.list(tenant, stateFilter, algorithmFilter, pageSize, skip).stream()
                .map(KeySummary::of).toList();
        return new KeyList(page, keys.count(tenant, stateFilter, algorithmFilter), pageSize, skip);
    }

    @Operation(summary = "Get a key with its versions", operationId = "getKey", description = "Needs kms:read.")
    @GetMapping("/{keyId}")
    @RequiredControls(scopes = KmsScopes.READ)
    KeyView get(Caller caller, @PathVariable String keyId) {
        return KeyView.of(keys.get(TenantRequired.tenantOf(caller), keyId));
    }

    @Operation(summary = "Change a key's description", operationId = "updateKey", description = "Needs kms:write.")
    @PatchMapping("/{keyId}")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.key.updated", resourceType = "key",
            resourceId = "#keyId")
    KeyView update(Caller caller, @PathVariable String keyId, @RequestBody UpdateKeyRequest request) {
        return KeyView.of(keys.describe(TenantRequired.tenantOf(caller), keyId, request.description()));
    }

    @Operation(summary = "Get the public key of an asymmetric key", operationId = "getPublicKey",
            description = "For checking signatures or encapsulating outside the service. Needs kms:read.")
    @GetMapping("/{keyId}/public-key")
    @RequiredControls(scopes = KmsScopes.READ)
    PublicKeyView publicKey(Caller caller, @PathVariable String keyId,
                            @Parameter(description = "the version; the current one by default")
                            @RequestParam(required = false) @Nullable Integer version) {
        KeyManagement.PublicKeyMaterial material = keys.publicKey(TenantRequired.tenantOf(caller), keyId, version);
        String der = Base64.getEncoder().encodeToString(material.subjectPublicKeyInfo());
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(material.subjectPublicKeyInfo())
                + "\n-----END PUBLIC KEY-----\n";
        return new PublicKeyView(material.key().keyId(), material.version(), material.algorithm(), der, pem);
    }

    @Operation(summary = "Rotate a key", operationId = "rotateKey",
            description = "Fresh material becomes the current version, which encrypts and signs from now on; every "
                    + "older version still decrypts and verifies. With an algorithm, the new version uses it "
                    + "(crypto agility). Needs kms:write.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/{keyId}/rotate")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.key.rotated", resourceType = "key",
            resourceId = "#keyId", metering = "kms.key.rotate")
    KeyView rotate(Caller caller, @PathVariable String keyId,
                   @RequestBody(required = false) @Nullable RotateKeyRequest request) {
        return KeyView.of(keys.rotate(TenantRequired.tenantOf(caller), keyId,
                request == null ? null : request.algorithm()));
    }

    @Operation(summary = "Enable a key", operationId = "enableKey", description = "Needs kms:write.")
    @FailureResponse(status = 409, description = "The key's deletion is scheduled: cancel it first")
    @PostMapping("/{keyId}/enable")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.key.enabled", resourceType = "key", resourceId = "#keyId")
    KeyView enable(Caller caller, @PathVariable String keyId) {
        return KeyView.of(keys.enable(TenantRequired.tenantOf(caller), keyId));
    }

    @Operation(summary = "Disable a key", operationId = "disableKey",
            description = "A disabled key performs no operation until it is enabled again. Needs kms:write.")
    @FailureResponse(status = 409, description = "The key's deletion is scheduled")
    @PostMapping("/{keyId}/disable")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.key.disabled", resourceType = "key",
            resourceId = "#keyId")
    KeyView disable(Caller caller, @PathVariable String keyId) {
        return KeyView.of(keys.disable(TenantRequired.tenantOf(caller), keyId));
    }

    @Operation(summary = "Schedule a key's deletion", operationId = "scheduleKeyDeletion",
            description = "The key stops working now; its material is destroyed when the waiting period "
                    + "(pendingWindowInDays, 7 to 30) has passed, unless the deletion is cancelled. Needs kms:write.")
    @FailureResponse(status = 409, description = "The key's deletion is already scheduled")
    @PostMapping("/{keyId}/schedule-deletion")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.key.deletion_scheduled", resourceType = "key",
            resourceId = "#keyId")
    KeyView scheduleDeletion(Caller caller, @PathVariable String keyId,
                             @RequestBody(required = false) @Nullable ScheduleDeletionRequest request) {
        return KeyView.of(keys.scheduleDeletion(TenantRequired.tenantOf(caller), keyId,
                request == null ? null : request.pendingWindowInDays()));
    }

    @Operation(summary = "Cancel a key's scheduled deletion", operationId = "cancelKeyDeletion",
            description = "The key comes back disabled; enable it to use it again. Needs kms:write.")
    @FailureResponse(status = 409, description = "No deletion is scheduled")
    @PostMapping("/{keyId}/cancel-deletion")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.key.deletion_cancelled", resourceType = "key",
            resourceId = "#keyId")
    KeyView cancelDeletion(Caller caller, @PathVariable String keyId) {
        return KeyView.of(keys.cancelDeletion(TenantRequired.tenantOf(caller), keyId));
    }
}
