import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording:
 * <ul>
 *   <li>by subsystem: each sample goes to the first frame from the top of the stack whose class belongs to a known
 *       library or to the project (so time in the JDK under Netty counts as Netty);</li>
 *   <li>the hottest methods by own samples (top frame);</li>
 *   <li>for each {@code --through <text>} argument, the share of samples with a frame containing the text.</li>
 * </ul>
 * Run with the JDK alone: {@code java bench/profile/JfrSummary.java recording.jfr [--thread <text>] [--through <text>]…}.
 * {@code --thread} keeps only samples of threads whose name contains the text.
 */
public class JfrSummary {

    // the first prefix a frame's class name starts with decides its subsystem; the order matters (more specific first)
    private static final String[][] SUBSYSTEMS = {
            {"io.qnsp.", "project code"},
            {"io.netty.handler.codec.http2", "Netty HTTP/2"},
            {"io.netty.handler.codec.http", "Netty HTTP/1.1"},
            {"io.netty.", "Netty (transport, buffers)"},
            {"reactor.netty.", "Reactor Netty"},
            {"reactor.", "Reactor"},
            {"io.grpc.", "gRPC"},
            {"com.google.protobuf.", "protobuf"},
            {"io.lettuce.", "Lettuce (Redis client)"},
            {"io.micrometer.", "Micrometer"},
            {"ch.qos.logback.", "logging"},
            {"org.slf4j.", "logging"},
            {"net.logstash.", "logging"},
            {"tools.jackson.", "Jackson"},
            {"com.fasterxml.jackson.", "Jackson"},
            {"org.springframework.cloud.gateway.", "Spring Cloud Gateway"},
            {"org.springframework.security.", "Spring Security"},
            {"org.springframework.web.reactive.", "Spring WebFlux"},
            {"org.springframework.web.server.", "Spring WebFlux"},
            {"org.springframework.http.server.reactive.", "Spring WebFlux"},
            {"org.springframework.web.", "Spring MVC / web"},
            {"org.springframework.data.redis.", "Spring Data Redis"},
            {"org.springframework.", "Spring (other)"},
            {"org.apache.tomcat.", "Tomcat"},
            {"org.apache.catalina.", "Tomcat"},
            {"org.apache.coyote.", "Tomcat"},
            {"com.nimbusds.", "JWT (Nimbus)"},
            {"org.postgresql.", "PostgreSQL driver"},
            {"com.zaxxer.hikari.", "connection pool"},
            {"org.hibernate.", "Hibernate"},
            {"com.github.benmanes.caffeine.", "Caffeine"},
    };

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java JfrSummary.java <recording.jfr> [--thread <text>] [--through <text>]...");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        String thread = null;
        List<String> through = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--thread" -> thread = args[i + 1];
                case "--through" -> through.add(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Map<String, Integer> bySubsystem = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        Map<String, Integer> byThrough = new LinkedHashMap<>();
        through.forEach(text -> byThrough.put(text, 0));
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                if (thread != null) {
                    var sampled = event.getThread("sampledThread");
                    if (sampled == null || sampled.getJavaName() == null || !sampled.getJavaName().contains(thread)) {
                        continue;
                    }
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                byMethod.merge(name(frames.get(0)), 1, Integer::sum);
                bySubsystem.merge(subsystem(frames), 1, Integer::sum);
                for (String text : through) {
                    if (frames.stream().anyMatch(frame -> name(frame).contains(text))) {
                        byThrough.merge(text, 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf("%d CPU samples%s in %s%n%n", samples, thread == null ? "" : " of threads '" + thread + "'",
                file.getFileName());
        print("by subsystem (first known frame from the top)", bySubsystem, samples, 40);
        print("hottest methods (own samples)", byMethod, samples, 30);
        if (!byThrough.isEmpty()) {
            System.out.println("samples passing through");
            for (Map.Entry<String, Integer> entry : byThrough.entrySet()) {
                System.out.printf("  %5.1f%%  %s%n", 100.0 * entry.getValue() / samples, entry.getKey());
            }
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String subsystem(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] subsystem : SUBSYSTEMS) {
                if (type.startsWith(subsystem[0])) {
                    return subsystem[1];
                }
            }
        }
        return "JDK only";
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int limit) {
        System.out.println(title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(entry -> System.out.printf("  %5.1f%%  %s%n", 100.0 * entry.getValue() / samples,
                        entry.getKey()));
        System.out.println();
    }
}
