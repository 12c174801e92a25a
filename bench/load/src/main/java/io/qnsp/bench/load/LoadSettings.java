package io.qnsp.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one load run does, read from the command line.
 *
 * @param url           the target, {@code http://host[:port]/path[?query]}
 * @param method        the HTTP method; GET, or POST when a body is given
 * @param headers       extra request header lines, {@code Name: value}, sent as given ({@code {key}} replaced)
 * @param body          the request body, or {@code null}; {@code {key}} is replaced by a key from the keys file
 * @param keysFile      one key a line, used round-robin by request number, or {@code null}
 * @param keyHeader     a header carrying the key on every request ({@code Name: <key>}), or {@code null}
 * @param rate          requests per second, the fixed arrival rate
 * @param duration      how long the measured phase lasts
 * @param warmup        how long the same load runs before the measured phase, unrecorded
 * @param connections   the keep-alive connections requests share; at most one request is in flight on each
 * @param timeout       how long a sent request may wait for its response before it counts as an error, and how
 *                      long after the schedule's end the run waits for the last responses
 * @param lateThreshold how far behind its schedule the generator may put a request on the wire before it counts as late
 * @param out           where the JSON result is written, or {@code null}
 */
record LoadSettings(URI url, String method, List<String> headers, String body, Path keysFile, String keyHeader,
                    int rate, Duration duration, Duration warmup, int connections, Duration timeout,
                    Duration lateThreshold, Path out) {

    static final String USAGE = """
            usage: java -jar qnsp-bench-load.jar --url http://host:port/path --rate N --duration 30s
                     [--warmup 10s] [--connections 64] [--method POST] [--header 'Name: value']...
                     [--body '{"apiKey":"{key}","cost":1}'] [--keys-file keys.txt] [--key-header X-API-Key]
                     [--timeout 10s] [--late-threshold 1ms] [--out result.json]
            {key} in the body and header values is replaced by the keys file's lines, round-robin.
            Durations: 500ms, 30s, 2m (a plain number is seconds).""";

    LoadSettings {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host[:port]/path, not " + url);
        }
        if (rate <= 0 || connections <= 0) {
            throw new IllegalArgumentException("--rate and --connections must be positive");
        }
        if (!duration.isPositive() || !timeout.isPositive() || warmup.isNegative() || lateThreshold.isNegative()) {
            throw new IllegalArgumentException("--duration and --timeout must be positive, --warmup not negative");
        }
        headers = List.copyOf(headers);
    }

    /** Reads the settings from {@code --name value} (or {@code --name=value}) arguments. */
    static LoadSettings parse(String[] args) {
        URI url = null;
        String method = null;
        List<String> headers = new ArrayList<>();
        String body = null;
        Path keysFile = null;
        String keyHeader = null;
        Integer rate = null;
        Duration duration = null;
        Duration warmup = Duration.ZERO;
        int connections = 64;
        Duration timeout = Duration.ofSeconds(10);
        Duration lateThreshold = Duration.ofMillis(1);
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--url" -> url = URI.create(value);
                case "--method" -> method = value.toUpperCase(Locale.ROOT);
                case "--header" -> headers.add(value);
                case "--body" -> body = value;
                case "--keys-file" -> keysFile = Path.of(value);
                case "--key-header" -> keyHeader = value;
                case "--rate" -> rate = Integer.parseInt(value);
                case "--duration" -> duration = duration(value);
                case "--warmup" -> warmup = duration(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--timeout" -> timeout = duration(value);
                case "--late-threshold" -> lateThreshold = duration(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (url == null || rate == null || duration == null) {
            throw new IllegalArgumentException("--url, --rate and --duration are required");
        }
        if (method == null) {
            method = body == null ? "GET" : "POST";
        }
        return new LoadSettings(url, method, headers, body, keysFile, keyHeader, rate, duration, warmup, connections,
                timeout, lateThreshold, out);
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 2m}, or a plain number of seconds. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }
}
