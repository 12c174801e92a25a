package io.qnsp.bench.load;

import java.io.IOException;
import java.nio.file.Files;

/**
 * An open-loop HTTP load generator: sends requests at a fixed arrival rate and measures latency the way a user
 * would see it, free of coordinated omission (what wrk2 does; Debian has no wrk2).
 *
 * <h2>Method</h2>
 * <ul>
 * <li><b>Open loop.</b> Request {@code i} is due at {@code start + i / rate}, whatever happened to earlier
 *     requests. A closed-loop tool such as {@code wrk} sends the next request only when a connection's previous
 *     response has arrived, so when the server stalls it simply stops sending: the requests that real clients
 *     would have sent during the stall are never made, and the stall shows up as one slow sample instead of
 *     thousands. That is <em>coordinated omission</em>, and it hides queueing delay from the percentiles.</li>
 * <li><b>Intended-start timing.</b> Each latency runs from the request's <em>intended</em> start (its place in
 *     the schedule) to the end of its response, not from when it was written. A request that waited for a free
 *     connection because the server was slow carries that wait in its latency, as it would for a user.</li>
 * <li><b>Bounded connections.</b> {@code --connections} keep-alive HTTP/1.1 connections (plain NIO, no client
 *     library: the JDK's HttpClient opens a new connection whenever none is idle, so it has no such bound), one
 *     request in flight on each (no pipelining). A schedule thread writes each request the moment it is due on the
 *     connection idle longest; when none is idle, due requests wait in order and go out as responses free
 *     connections. They are never skipped. One non-blocking I/O thread reads all responses.</li>
 * <li><b>The generator's own lag.</b> If a request is written more than {@code --late-threshold} (1 ms) after it
 *     was both due and had a connection free, the generator fell behind (CPU starved, paused for GC): it is counted
 *     as {@code late} with the largest lag, so such a run can be thrown out rather than blamed on the server.</li>
 * <li><b>Warm-up.</b> {@code --warmup} runs the same load first, unrecorded, for the JIT of both sides.</li>
 * <li><b>Recording.</b> An HdrHistogram in microseconds, 3 significant digits. Any response counts, whatever
 *     its status (by status in {@code statusCounts}); connection failures and {@code --timeout}s are
 *     {@code errors}.</li>
 * </ul>
 *
 * <p>Example: {@code java -jar qnsp-bench-load.jar --url http://localhost:8080/v1/check --rate 2000 --duration 30s
 * --warmup 10s --connections 64 --body '{"apiKey":"{key}","cost":1}' --keys-file keys.txt --out result.json}.
 * Prints a one-line summary; {@code --out} also writes it as JSON. Exits 2 on bad arguments, 1 if the server
 * cannot be reached at the start.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(LoadSettings.USAGE);
            return;
        }
        LoadSettings settings;
        Requests requests;
        try {
            settings = LoadSettings.parse(args);
            requests = Requests.render(settings);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadSettings.USAGE);
            System.exit(2);
            return;
        }
        LoadResult result;
        try {
            result = new OpenLoopRun(settings, requests).run();
        } catch (IOException e) {
            System.err.println("cannot load " + settings.url() + ": " + e);
            System.exit(1);
            return;
        }
        System.out.println(result.summary());
        if (result.late() > 0) {
            System.err.printf("warning: the generator fell behind its schedule on %d requests (max lag %.3f ms)%n",
                    result.late(), result.maxLagMs());
        }
        if (settings.out() != null) {
            Files.writeString(settings.out(), result.json());
        }
    }
}
