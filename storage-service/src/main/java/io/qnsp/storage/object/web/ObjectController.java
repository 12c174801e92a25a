package io.qnsp.storage.object.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.storage.StorageScopes;
import io.qnsp.storage.classification.Classification;
import io.qnsp.storage.classification.ClassificationManagement;
import io.qnsp.storage.replication.ReplicationManagement;
import io.qnsp.storage.retention.RetentionManagement;
import io.qnsp.storage.object.ObjectStore;
import io.qnsp.storage.object.StoredObject;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Objects, S3-style: a key is one path segment, so a key with slashes is sent percent-encoded
 * ({@code reports%2F2024%2Fq1.pdf}). Content is streamed in and out, never held in memory. Reading needs
 * {@code storage:read}, changes {@code storage:write}.
 */
@Tag(name = "Objects")
@RestController
@RequestMapping("/storage/v1/buckets/{bucket}/objects")
class ObjectController {

    static final String OBJECT_ID = "X-Object-Id";
    static final String VERSION_ID = "X-Version-Id";

    record ObjectView(UUID objectId, String bucket, String key, UUID versionId, long size,
                      @Schema(description = "hex MD5 of the content, as S3 gives it for a single upload") String etag,
                      String contentType, @Schema(description = "standard, or archive once a retention policy "
                              + "archived it (read-only)") String storageClass,
                      Instant createdAt, Instant lastModified) {

        static ObjectView of(StoredObject o) {
            return new ObjectView(o.objectId(), o.bucket(), o.key(), o.versionId(), o.size(), o.etag(),
                    o.contentType(), o.storageClass(), o.createdAt(), o.writtenAt());
        }
    }

    record ObjectList(String bucket, String prefix, List<ObjectView> objects, boolean truncated,
                      @Schema(description = "pass as continuationToken for the next page; null on the last")
                      @Nullable String nextContinuationToken) {
    }

    record ObjectLabelView(UUID policyId, @Nullable String classification, List<String> dataTypes,
                     @Schema(description = "findings of each of the policy's rules, in rule order (counts only)")
                     List<Integer> findings, long scannedBytes,
                     @Schema(description = "the content went on past the scan limit") boolean truncated,
                     Instant scannedAt) {
    }

    record ObjectRetentionView(UUID policyId, String onExpiry, Instant retainUntil,
                         @Schema(description = "whether the period is still running") boolean retained) {
    }

    record ObjectReplicaView(String region, boolean encrypted, UUID versionId,
                       @Schema(description = "whether the replica holds the current content version") boolean current,
                       Instant replicatedAt) {
    }

    record ObjectPendingCopyView(String region, int attempts, @Nullable String lastError, Instant nextAttemptAt) {
    }

    record ObjectMetadata(UUID objectId, String bucket, String key, UUID versionId, long size, String etag,
                          String contentType, String storageClass, Instant createdAt, Instant lastModified,
                          @Schema(description = "the highest classification the labels give; null when none does")
                          @Nullable String classification, List<ObjectLabelView> labels,
                          @Schema(description = "the retention policy keeping the object longest; null when none "
                                  + "applies") @Nullable ObjectRetentionView retention,
                          @Schema(description = "active legal holds covering the object") List<UUID> legalHolds,
                          List<ObjectReplicaView> replicas, List<ObjectPendingCopyView> pendingCopies) {
    }

    private final ObjectStore store;
    private final ClassificationManagement classification;
    private final RetentionManagement retention;
    private final ReplicationManagement replication;
    private final Clock clock;

    ObjectController(ObjectStore store, ClassificationManagement classification, RetentionManagement retention,
                     ReplicationManagement replication, Clock clock) {
        this.store = store;
        this.classification = classification;
        this.retention = retention;
        this.replication = replication;
        this.clock = clock;
    }

    @Operation(summary = "Upload an object", operationId = "putObject",
            description = "Stores the request body under the key, creating the object or replacing its content "
                    + "(the object keeps its id; the content gets a new version). The body is streamed to the "
                    + "volume, encrypted with a data key from kms-service; Content-Type is kept and given back on "
                    + "download (application/octet-stream when absent). An object under a legal hold or a "
                    + "retention period, or archived, is not replaced. Needs storage:write.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "the object's content, any media type",
                    content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "201", description = "A new object was stored",
            headers = @Header(name = "ETag", description = "the quoted hex MD5 of the content",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "The object's content was replaced",
            headers = @Header(name = "ETag", description = "the quoted hex MD5 of the content",
                    schema = @Schema(type = "string")))
    @FailureResponse(status = 409, description = "The object is under a legal hold or a retention period, or "
            + "archived")
    @FailureResponse(status = 503, description = "kms-service cannot give a data key; nothing was stored")
    @PutMapping("/{key}")
    @RequiredControls(scopes = StorageScopes.WRITE)
    ResponseEntity<ObjectView> putObject(Caller caller, @PathVariable String bucket, @PathVariable String key,
                                         HttpServletRequest request) throws IOException {
        String tenant = TenantRequired.tenantOf(caller);
        ObjectStore.Put put;
        try (InputStream body = request.getInputStream()) {
            put = store.put(tenant, bucket, key, request.getContentType(), body, caller.principal());
        }
        return ResponseEntity.status(put.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .eTag(put.object().etag()).header(OBJECT_ID, put.object().objectId().toString())
                .body(ObjectView.of(put.object()));
    }

    @Operation(summary = "Download an object", operationId = "getObject",
            description = "Streams the content back, decrypted, with its Content-Type, Content-Length, ETag and "
                    + "Last-Modified. With If-None-Match naming the current ETag, answers 304 without a body. "
                    + "Needs storage:read.")
    @ApiResponse(responseCode = "200", description = "The object's content",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "304", description = "The content has the ETag given in If-None-Match")
    @FailureResponse(status = 503, description = "kms-service cannot open the object's data key")
    @GetMapping("/{key}")
    @RequiredControls(scopes = StorageScopes.READ)
    void getObject(Caller caller, @PathVariable String bucket, @PathVariable String key,
                   @Parameter(description = "an ETag (quoted or not); the content is sent only when it differs")
                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch,
                   HttpServletResponse response) throws IOException {
        StoredObject object = store.head(TenantRequired.tenantOf(caller), bucket, key);
        headers(object, response);
        if (ifNoneMatch != null && matches(ifNoneMatch, object.etag())) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        try (InputStream content = store.content(object)) {
            response.setStatus(HttpStatus.OK.value());
            response.setContentType(object.contentType());
            response.setContentLengthLong(object.size());
            OutputStream out = response.getOutputStream();
            content.transferTo(out);
            out.flush();
        }
    }

    @Operation(summary = "Get an object's headers", operationId = "headObject",
            description = "What a download would answer, without the body. Needs storage:read.")
    @ApiResponse(responseCode = "200", description = "The object exists")
    @RequestMapping(value = "/{key}", method = RequestMethod.HEAD)
    @RequiredControls(scopes = StorageScopes.READ)
    void headObject(Caller caller, @PathVariable String bucket, @PathVariable String key,
                    HttpServletResponse response) {
        StoredObject object = store.head(TenantRequired.tenantOf(caller), bucket, key);
        headers(object, response);
        response.setContentType(object.contentType());
        response.setContentLengthLong(object.size());
        response.setStatus(HttpStatus.OK.value());
    }

    @Operation(summary = "Get an object's metadata", operationId = "getObjectMetadata",
            description = "Its id, content version, size, ETag, Content-Type, storage class and times; its "
                    + "classification labels, retention and legal holds; the regions holding a replica and the "
                    + "copies still pending (with their attempts and last error). Needs storage:read.")
    @GetMapping("/{key}/metadata")
    @RequiredControls(scopes = StorageScopes.READ)
    ObjectMetadata getObjectMetadata(Caller caller, @PathVariable String bucket, @PathVariable String key) {
        StoredObject o = store.head(TenantRequired.tenantOf(caller), bucket, key);
        List<ObjectLabelView> labels = classification.labels(o.objectId()).values().stream()
                .map(l -> new ObjectLabelView(l.policyId(), l.classification(), l.dataTypes(), l.findings(),
                        l.scannedBytes(), l.truncated(), l.scannedAt()))
                .toList();
        String highest = labels.stream().map(ObjectLabelView::classification).filter(Objects::nonNull)
                .max(Comparator.comparing(c -> Classification.of(c).orElseThrow())).orElse(null);
        RetentionManagement.Protection protection = retention.protection(o);
        Instant now = clock.instant();
        ObjectRetentionView retained = protection.retention().map(g -> new ObjectRetentionView(g.policyId(), g.onExpiry(),
                g.until(), g.until().isAfter(now))).orElse(null);
        ReplicationManagement.ObjectReplication replicas = replication.of(o.objectId());
        return new ObjectMetadata(o.objectId(), o.bucket(), o.key(), o.versionId(), o.size(), o.etag(),
                o.contentType(), o.storageClass(), o.createdAt(), o.writtenAt(), highest, labels, retained,
                protection.holdIds(),
                replicas.replicas().stream().map(r -> new ObjectReplicaView(r.region(), r.encrypted(), r.versionId(),
                        r.versionId().equals(o.versionId()), r.replicatedAt())).toList(),
                replicas.pending().stream().map(p -> new ObjectPendingCopyView(p.region(), p.attempts(), p.lastError(),
                        p.nextAttemptAt())).toList());
    }

    @Operation(summary = "List objects, by key", operationId = "listObjects",
            description = "Keys in byte order, optionally only those starting with a prefix, a page at a time. "
                    + "Needs storage:read.")
    @GetMapping
    @RequiredControls(scopes = StorageScopes.READ)
    ObjectList listObjects(Caller caller, @PathVariable String bucket,
                           @Parameter(description = "only keys starting with it") @RequestParam(required = false)
                           @Nullable String prefix,
                           @Parameter(description = "1 to 1000, 1000 by default") @RequestParam(required = false)
                           @Nullable Integer limit,
                           @Parameter(description = "the nextContinuationToken of the page before")
                           @RequestParam(required = false) @Nullable String continuationToken) {
        ObjectStore.Listing listing = store.list(TenantRequired.tenantOf(caller), bucket, prefix, continuationToken,
                limit == null ? 1000 : limit);
        return new ObjectList(bucket, prefix == null ? "" : prefix,
                listing.objects().stream().map(ObjectView::of).toList(), listing.nextContinuationToken() != null,
                listing.nextContinuationToken());
    }

    @Operation(summary = "Delete an object", operationId = "deleteObject",
            description = "Its content leaves the volume, and the regions it was replicated to. An object under a "
                    + "legal hold or a retention period is not deleted. Needs storage:write.")
    @ApiResponse(responseCode = "204", description = "The object was deleted")
    @FailureResponse(status = 409, description = "The object is under a legal hold or a retention period")
    @DeleteMapping("/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = StorageScopes.WRITE, audit = "storage.object.deleted", resourceType = "object",
            resourceId = "#bucket + '/' + #key")
    void deleteObject(Caller caller, @PathVariable String bucket, @PathVariable String key) {
        store.delete(TenantRequired.tenantOf(caller), bucket, key);
    }

    private static void headers(StoredObject object, HttpServletResponse response) {
        response.setHeader(HttpHeaders.ETAG, "\"" + object.etag() + "\"");
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, object.writtenAt().toEpochMilli());
        response.setHeader(OBJECT_ID, object.objectId().toString());
        response.setHeader(VERSION_ID, object.versionId().toString());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.strip();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.equals("*") || value.replace("\"", "").equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
