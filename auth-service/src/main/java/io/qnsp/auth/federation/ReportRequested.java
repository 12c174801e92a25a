package io.qnsp.auth.federation;

import java.util.UUID;

/** A report was requested; published in the request's transaction, acted on once it commits. */
record ReportRequested(UUID reportId) {
}
