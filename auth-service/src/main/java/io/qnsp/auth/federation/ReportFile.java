package io.qnsp.auth.federation;

/** A completed report's file, with what a download needs to describe it. */
public record ReportFile(byte[] content, String contentType, String filename) {
}
