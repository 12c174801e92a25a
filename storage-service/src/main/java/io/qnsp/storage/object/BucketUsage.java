package io.qnsp.storage.object;

/** A bucket with what it holds now, counted from its objects. */
public record BucketUsage(Bucket bucket, long objectCount, long totalBytes) {
}
