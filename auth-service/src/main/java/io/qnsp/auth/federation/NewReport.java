package io.qnsp.auth.federation;

import java.util.List;

/**
 * A report request as the caller sent it (checked by {@link ReportManagement}).
 *
 * @param reportType what to summarize
 * @param startDate  inclusive start (ISO-8601 date-time with offset, or a date meaning its start, UTC)
 * @param endDate    exclusive end (a date means the end of that day, UTC)
 * @param providers  only these providers; {@code null} or empty for all
 * @param format     {@code json} (default) or {@code csv}
 */
public record NewReport(ReportType reportType, String startDate, String endDate, List<String> providers,
                        String format) {
}
