package io.qnsp.kms.key.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.key.CryptoOperations;
import io.qnsp.kms.key.KeyAlgorithm;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Using keys: encrypt and decrypt (with an optional encryption context bound to the ciphertext), sign and verify,
 * encapsulate and decapsulate (ML-KEM), and data keys for envelope encryption. Every operation needs
 * {@code kms:use}, is audited and metered, and is counted for the usage analytics under the caller's identity.
 */
@Tag(name = "Key operations")
@RestController
@RequestMapping("/kms/v1")
class CryptoController {

    private static final String CONTEXT = "name/value pairs bound to the ciphertext: decrypt must be given exactly "
            + "the same ones (in any order)";

    record EncryptRequest(@Schema(description = "base64 data, at most 64 KiB (318 bytes for RSA-3072)")
                          @Nullable String plaintext,
                          @Schema(description = CONTEXT) @Nullable Map<String, String> encryptionContext) {

        @Override
        public String toString() {
            return "EncryptRequest[plaintext=***, encryptionContext=" + encryptionContext + "]";
        }
    }

    record EncryptResponse(UUID keyId, int keyVersion, KeyAlgorithm algorithm,
                           @Schema(description = "base64; names its key and version") String ciphertext) {
    }

    record DecryptRequest(@Schema(description = "base64 ciphertext from encrypt or generate-data-key")
                          @Nullable String ciphertext,
                          @Schema(description = CONTEXT) @Nullable Map<String, String> encryptionContext) {
    }

    record DecryptResponse(UUID keyId, int keyVersion, @Schema(description = "base64") String plaintext) {

        @Override
        public String toString() {
            return "DecryptResponse[keyId=" + keyId + ", keyVersion=" + keyVersion + ", plaintext=***]";
        }
    }

    record SignRequest(@Schema(description = "base64 message, at most 64 KiB") @Nullable String message) {
    }

    record SignResponse(UUID keyId, int keyVersion, KeyAlgorithm algorithm,
                        @Schema(description = "base64: RSASSA-PSS (SHA-256), DER ECDSA (SHA-256) or ML-DSA-65")
                        String signature) {
    }

    record VerifyRequest(@Nullable String message, @Nullable String signature,
                         @Schema(description = "the version that signed; every version is tried when left out")
                         @Nullable Integer keyVersion) {
    }

    record VerifyResponse(UUID keyId, boolean valid,
                          @Schema(description = "the version whose signature it is; null when not valid")
                          @Nullable Integer keyVersion) {
    }

    record EncapsulateResponse(UUID keyId, int keyVersion,
                               @Schema(description = "base64 ML-KEM-768 ciphertext (1,088 bytes) for the key holder")
                               String encapsulation,
                               @Schema(description = "base64 32-byte shared secret") String sharedSecret) {

        @Override
        public String toString() {
            return "EncapsulateResponse[keyId=" + keyId + ", keyVersion=" + keyVersion + ", sharedSecret=***]";
        }
    }

    record DecapsulateRequest(@Nullable String encapsulation,
                              @Schema(description = "the version encapsulate answered; the current one by default")
                              @Nullable Integer keyVersion) {
    }

    record DecapsulateResponse(UUID keyId, int keyVersion, @Schema(description = "base64") String sharedSecret) {

        @Override
        public String toString() {
            return "DecapsulateResponse[keyId=" + keyId + ", keyVersion=" + keyVersion + ", sharedSecret=***]";
        }
    }

    record DataKeyRequest(@Schema(description = "AES_256 (the default) or AES_128") @Nullable String keySpec,
                          @Schema(description = CONTEXT) @Nullable Map<String, String> encryptionContext) {
    }

    record DataKeyResponse(UUID keyId, int keyVersion,
                           @Schema(description = "base64 data key: use it, then forget it") String plaintext,
                           @Schema(description = "base64 data key encrypted under the KMS key: keep it beside the "
                                   + "data and decrypt it when needed") String ciphertext) {

        @Override
        public String toString() {
            return "DataKeyResponse[keyId=" + keyId + ", keyVersion=" + keyVersion + ", plaintext=***]";
        }
    }

    private final CryptoOperations crypto;

    CryptoController(CryptoOperations crypto) {
        this.crypto = crypto;
    }

    @Operation(summary = "Encrypt data under a key", operationId = "encrypt",
            description = "With the key's current version. Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/keys/{keyId}/encrypt")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.encrypt", resourceType = "key", resourceId = "#keyId",
            metering = "kms.encrypt")
    EncryptResponse encrypt(Caller caller, @PathVariable String keyId, @RequestBody EncryptRequest request) {
        byte[] plaintext = required(request.plaintext(), "plaintext");
        CryptoOperations.Encrypted result = crypto.encrypt(actor(caller), keyId, plaintext,
                context(request.encryptionContext()));
        return new EncryptResponse(result.key().keyId(), result.version(), result.key().algorithm(),
                encode(result.ciphertext()));
    }

    @Operation(summary = "Decrypt a ciphertext", operationId = "decrypt",
            description = "The ciphertext names its key and version; any version of an enabled key decrypts. An "
                    + "altered ciphertext, another encryption context or another tenant's key is one 400. "
                    + "Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/decrypt")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.decrypt", resourceType = "key",
            resourceId = "#result.keyId", metering = "kms.decrypt")
    DecryptResponse decrypt(Caller caller, @RequestBody DecryptRequest request) {
        byte[] ciphertext = required(request.ciphertext(), "ciphertext");
        CryptoOperations.Decrypted result = crypto.decrypt(actor(caller), ciphertext,
                context(request.encryptionContext()));
        return new DecryptResponse(result.key().keyId(), result.version(), encode(result.plaintext()));
    }

    @Operation(summary = "Sign a message", operationId = "sign",
            description = "With the key's current version, over the message itself. Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/keys/{keyId}/sign")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.sign", resourceType = "key", resourceId = "#keyId",
            metering = "kms.sign")
    SignResponse sign(Caller caller, @PathVariable String keyId, @RequestBody SignRequest request) {
        byte[] message = required(request.message(), "message");
        CryptoOperations.Signed result = crypto.sign(actor(caller), keyId, message);
        return new SignResponse(result.key().keyId(), result.version(), result.key().algorithm(),
                encode(result.signature()));
    }

    @Operation(summary = "Verify a signature", operationId = "verify",
            description = "valid is false for a signature that does not match (a 200, not an error). Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/keys/{keyId}/verify")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.verify", resourceType = "key", resourceId = "#keyId",
            metering = "kms.verify")
    VerifyResponse verify(Caller caller, @PathVariable String keyId, @RequestBody VerifyRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        byte[] message = decode(request.message(), "message", problems);
        byte[] signature = decode(request.signature(), "signature", problems);
        if (request.keyVersion() != null && request.keyVersion() < 1) {
            problems.add("keyVersion", "must be at least 1");
        }
        problems.throwIfAny();
        CryptoOperations.Verified result = crypto.verify(actor(caller), keyId, message, signature,
                request.keyVersion());
        return new VerifyResponse(result.key().keyId(), result.valid(), result.version());
    }

    @Operation(summary = "Encapsulate a shared secret (ML-KEM)", operationId = "encapsulate",
            description = "A fresh shared secret and its encapsulation under the key's current version: send the "
                    + "encapsulation to the key holder, who recovers the same secret with decapsulate. "
                    + "Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/keys/{keyId}/encapsulate")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.encapsulate", resourceType = "key",
            resourceId = "#keyId", metering = "kms.encapsulate")
    EncapsulateResponse encapsulate(Caller caller, @PathVariable String keyId) {
        CryptoOperations.Encapsulation result = crypto.encapsulate(actor(caller), keyId);
        return new EncapsulateResponse(result.key().keyId(), result.version(), encode(result.encapsulation()),
                encode(result.sharedSecret()));
    }

    @Operation(summary = "Decapsulate a shared secret (ML-KEM)", operationId = "decapsulate",
            description = "Recovers the shared secret of an encapsulation made for the key (by this service or any "
                    + "ML-KEM-768 implementation holding its public key). Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/keys/{keyId}/decapsulate")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.decapsulate", resourceType = "key",
            resourceId = "#keyId", metering = "kms.decapsulate")
    DecapsulateResponse decapsulate(Caller caller, @PathVariable String keyId,
                                    @RequestBody DecapsulateRequest request) {
        InvalidField.Problems problems = new InvalidField.Problems();
        byte[] encapsulation = decode(request.encapsulation(), "encapsulation", problems);
        if (request.keyVersion() != null && request.keyVersion() < 1) {
            problems.add("keyVersion", "must be at least 1");
        }
        problems.throwIfAny();
        CryptoOperations.Decapsulated result = crypto.decapsulate(actor(caller), keyId, encapsulation,
                request.keyVersion());
        return new DecapsulateResponse(result.key().keyId(), result.version(), encode(result.sharedSecret()));
    }

    @Operation(summary = "Generate a data key", operationId = "generateDataKey",
            description = "For envelope encryption: a fresh AES key in plaintext and encrypted under the KMS key "
                    + "(decrypt it with /kms/v1/decrypt and the same encryption context). Needs kms:use.")
    @FailureResponse(status = 409, description = "The key is not enabled")
    @PostMapping("/keys/{keyId}/generate-data-key")
    @RequiredControls(scopes = KmsScopes.USE, audit = "kms.key.generate_data_key", resourceType = "key",
            resourceId = "#keyId", metering = "kms.generate_data_key")
    DataKeyResponse generateDataKey(Caller caller, @PathVariable String keyId,
                                    @RequestBody(required = false) @Nullable DataKeyRequest request) {
        String spec = request == null || request.keySpec() == null ? "AES_256" : request.keySpec();
        int bytes = switch (spec) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> throw new InvalidField("keySpec", "must be AES_256 or AES_128");
        };
        CryptoOperations.DataKey result = crypto.generateDataKey(actor(caller), keyId, bytes,
                context(request == null ? null : request.encryptionContext()));
        return new DataKeyResponse(result.key().keyId(), result.version(), encode(result.plaintext()),
                encode(result.ciphertext()));
    }

    private static CryptoOperations.Actor actor(Caller caller) {
        return new CryptoOperations.Actor(TenantRequired.tenantOf(caller), caller.principal());
    }

    private static Map<String, String> context(@Nullable Map<String, String> context) {
        return context == null ? Map.of() : context;
    }

    private static byte[] required(@Nullable String base64, String field) {
        InvalidField.Problems problems = new InvalidField.Problems();
        byte[] bytes = decode(base64, field, problems);
        problems.throwIfAny();
        return bytes;
    }

    private static byte[] decode(@Nullable String base64, String field, InvalidField.Problems problems) {
        if (base64 == null) {
            problems.add(field, "is required");
            return new byte[0];
        }
        byte[] bytes = problems.base64(base64, field);
        return bytes == null ? new byte[0] : bytes;
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
