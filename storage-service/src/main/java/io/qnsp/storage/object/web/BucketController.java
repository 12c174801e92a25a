package io.qnsp.storage.object.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.storage.StorageScopes;
import io.qnsp.storage.object.Bucket;
import io.qnsp.storage.object.BucketUsage;
import io.qnsp.storage.object.ObjectStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Buckets: namespaces of object keys, S3-style. Reading needs {@code storage:read}, changes {@code storage:write}. */
@Tag(name = "Buckets")
@RestController
@RequestMapping("/storage/v1/buckets")
class BucketController {

    record BucketCreated(String name, String region, Instant createdAt) {
    }

    record BucketView(String name, String region, Instant createdAt, long objectCount, long totalBytes) {

        static BucketView of(BucketUsage usage) {
            Bucket b = usage.bucket();
            return new BucketView(b.name(), b.region(), b.createdAt(), usage.objectCount(), usage.totalBytes());
        }
    }

    record BucketList(List<BucketView> buckets) {
    }

    private final ObjectStore store;

    BucketController(ObjectStore store) {
        this.store = store;
    }

    @Operation(summary = "Create a bucket", operationId = "createBucket",
            description = "Names are 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a "
                    + "letter or digit, unique within the tenant. The bucket lives in the service's region. Needs "
                    + "storage:write.")
    @ApiResponse(responseCode = "201", description = "The bucket was created")
    @FailureResponse(status = 409, description = "The tenant already has a bucket of this name")
    @PutMapping("/{bucket}")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = StorageScopes.WRITE, quota = "storage.buckets", audit = "storage.bucket.created",
            resourceType = "bucket", resourceId = "#bucket")
    BucketCreated createBucket(Caller caller, @PathVariable String bucket) {
        Bucket created = store.createBucket(TenantRequired.tenantOf(caller), bucket, caller.principal());
        return new BucketCreated(created.name(), created.region(), created.createdAt());
    }

    @Operation(summary = "List the buckets, by name", operationId = "listBuckets",
            description = "With the number of objects and bytes each holds now. Needs storage:read.")
    @GetMapping
    @RequiredControls(scopes = StorageScopes.READ)
    BucketList listBuckets(Caller caller) {
        return new BucketList(store.buckets(TenantRequired.tenantOf(caller)).stream().map(BucketView::of).toList());
    }

    @Operation(summary = "Get a bucket", operationId = "getBucket",
            description = "With the number of objects and bytes it holds now. Needs storage:read.")
    @GetMapping("/{bucket}")
    @RequiredControls(scopes = StorageScopes.READ)
    BucketView getBucket(Caller caller, @PathVariable String bucket) {
        return BucketView.of(store.bucket(TenantRequired.tenantOf(caller), bucket));
    }

    @Operation(summary = "Delete an empty bucket", operationId = "deleteBucket",
            description = "A bucket that still holds objects is not deleted. Needs storage:write.")
    @ApiResponse(responseCode = "204", description = "The bucket was deleted")
    @FailureResponse(status = 409, description = "The bucket still holds objects")
    @DeleteMapping("/{bucket}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = StorageScopes.WRITE, audit = "storage.bucket.deleted", resourceType = "bucket",
            resourceId = "#bucket")
    void deleteBucket(Caller caller, @PathVariable String bucket) {
        store.deleteBucket(TenantRequired.tenantOf(caller), bucket);
    }
}
