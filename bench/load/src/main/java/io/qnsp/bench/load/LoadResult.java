package io.qnsp.bench.load;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

/**
 * What the measured phase of a run found, as a one-line summary and as JSON.
 *
 * @param sent          requests the measured phase issued; each ends completed or as an error
 * @param completed     responses received, whatever their status (they are answers)
 * @param errors        requests without a response: connection failures, timeouts, malformed responses
 * @param statusCounts  completed responses by status
 * @param achievedRate  responses per second over the phase's duration, or longer if its last response came later
 * @param late          requests the generator wrote more than the late threshold after they were due with a
 *                      connection free: a run with many is the generator's fault, to be thrown out
 * @param maxLagMs      the largest such lag
 * @param maxPending    the most requests due but waiting for a free connection at once (server-caused queueing)
 * @param latencyMicros latency from intended start to response, microseconds
 * @param generatorCpu  the generator's CPU use during the measured phase, in cores (1.0 = one core busy)
 */
record LoadResult(LoadSettings settings, long sent, long completed, long errors, Map<Integer, Long> statusCounts,
                  double achievedRate, long late, double maxLagMs, long maxPending, Histogram latencyMicros,
                  double generatorCpu) {

    LoadResult(LoadSettings settings, long sent, long completed, long errors, long[] statusCounts,
               double achievedRate, long late, double maxLagMs, long maxPending, Histogram latencyMicros,
               double generatorCpu) {
        this(settings, sent, completed, errors, byStatus(statusCounts), achievedRate, late, maxLagMs, maxPending,
                latencyMicros, generatorCpu);
    }

    private static Map<Integer, Long> byStatus(long[] counts) {
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (int status = 0; status < counts.length; status++) {
            if (counts[status] > 0) {
                byStatus.put(status, counts[status]);
            }
        }
        return byStatus;
    }

    /** The latency at {@code percentile} (0–100), in milliseconds; 0 when nothing completed. */
    double latencyMs(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxLatencyMs() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }

    double meanLatencyMs() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMean() / 1000.0;
    }

    String summary() {
        return String.format(Locale.ROOT,
                "%s %s at %d/s for %ss over %d connections: sent %d, completed %d, errors %d, status %s, achieved %.1f/s;"
                        + " latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f mean %.3f;"
                        + " late %d (max lag %.3f ms), max pending %d, generator cpu %.2f cores",
                settings.method(), settings.url(), settings.rate(), seconds(settings.duration().toMillis()),
                settings.connections(), sent, completed, errors, statusCounts, achievedRate,
                latencyMs(50), latencyMs(90), latencyMs(99), latencyMs(99.9), maxLatencyMs(), meanLatencyMs(),
                late, maxLagMs, maxPending, generatorCpu);
    }

    String json() {
        String statuses = statusCounts.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
        return String.format(Locale.ROOT, """
                {
                  "url": "%s",
                  "method": "%s",
                  "rate": %d,
                  "durationSeconds": %s,
                  "warmupSeconds": %s,
                  "connections": %d,
                  "sent": %d,
                  "completed": %d,
                  "errors": %d,
                  "statusCounts": %s,
                  "achievedRate": %.1f,
                  "late": %d,
                  "maxLagMs": %.3f,
                  "maxPending": %d,
                  "generatorCpuCores": %.2f,
                  "latencyMs": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "p999": %.3f, "max": %.3f, "mean": %.3f}
                }
                """,
                escape(settings.url().toString()), settings.method(), settings.rate(),
                seconds(settings.duration().toMillis()), seconds(settings.warmup().toMillis()), settings.connections(),
                sent, completed, errors, statuses, achievedRate, late, maxLagMs, maxPending, generatorCpu,
                latencyMs(50), latencyMs(90), latencyMs(99), latencyMs(99.9), maxLatencyMs(), meanLatencyMs());
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
