package io.qnsp.host;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's logging: one JSON line per event (the logstash format every service writes as its own process), into
 * {@code <service>.log} for the service whose thread logged it, or {@code service-host.log} for a thread no service
 * started. A thread belongs to the service whose class loader is its context class loader (or an ancestor of it):
 * each service's main thread has its own, and every thread started from it, platform or virtual, inherits it; a
 * pool shared by the whole JVM (Reactor's schedulers, the common fork-join pool) logs as the service that first
 * started it.
 */
final class ServiceLogs extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final String HOST = "service-host";
    static final String PLATFORM_FORMAT = "io.qnsp.common.observability.JsonLogLines";

    private final Path directory;
    private final Map<ClassLoader, String> services;
    private final Map<String, OutputStream> files = new ConcurrentHashMap<>();
    private final StructuredLogEncoder encoder = new StructuredLogEncoder();

    private ServiceLogs(Path directory, Map<ClassLoader, String> services) {
        this.directory = directory;
        this.services = Map.copyOf(services);
    }

    /** Replaces logback's configuration with this appender on the root logger, at INFO. */
    static ServiceLogs install(Path directory, Map<ClassLoader, String> services) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putObject(Environment.class.getName(), new StandardEnvironment());
        ServiceLogs logs = new ServiceLogs(directory, services);
        logs.setContext(context);
        logs.setName("services");
        logs.encoder.setContext(context);
        logs.encoder.setFormat(format());
        logs.encoder.start();
        logs.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(logs);
        return logs;
    }

    /**
     * The services' own format: the platform's formatter of Spring Boot's logstash layout when the hosted services'
     * libraries (on the host's class path) hold it, else Spring Boot's, which writes the same lines.
     */
    static String format() {
        try {
            Class.forName(PLATFORM_FORMAT, false, ServiceLogs.class.getClassLoader());
            return PLATFORM_FORMAT;
        } catch (ClassNotFoundException absent) {
            return "logstash";
        }
    }

    /** A service's {@code logging.level} entries: logger name (or {@code root}) to level. */
    void applyLevels(Map<String, String> levels) {
        LoggerContext context = (LoggerContext) getContext();
        levels.forEach((name, level) -> context.getLogger(name.equalsIgnoreCase("root")
                ? org.slf4j.Logger.ROOT_LOGGER_NAME : name).setLevel(Level.toLevel(level, null)));
    }

    /** Writes why a service could not start to its log, where the launcher shows it from. */
    void failed(String service, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        write(service, (Instant.now() + " " + service + " failed to start: " + trace
                + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void append(ILoggingEvent event) {
        write(serviceOf(Thread.currentThread().getContextClassLoader()), encoder.encode(event));
    }

    String serviceOf(ClassLoader loader) {
        for (ClassLoader current = loader; current != null; current = current.getParent()) {
            String service = services.get(current);
            if (service != null) {
                return service;
            }
        }
        return HOST;
    }

    private void write(String service, byte[] line) {
        OutputStream out = files.computeIfAbsent(service, this::open);
        synchronized (out) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                addError("could not write to the log of " + service, e);
            }
        }
    }

    private OutputStream open(String service) {
        try {
            return new FileOutputStream(directory.resolve(service + ".log").toFile(), true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the log of " + service + " in " + directory, e);
        }
    }
}
