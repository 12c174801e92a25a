package io.qnsp.host;

import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingSystem;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Runs several services of the platform in one JVM, for the embedded default only ({@code ./platform}); compose and
 * Kubernetes run one service per container.
 * <p>
 * The JVM's class path holds the libraries of every hosted service, so Spring, Tomcat, Jackson, the JDBC driver and
 * the rest are loaded, linked and compiled once, and the JVM's AOT cache covers them. Each service gets a class
 * loader of its own ({@link ServiceClassLoader}) over its own classes and resources ({@code application.yml},
 * migrations), through which it sees only the libraries it ships itself. Each service starts on a thread of its own
 * with its class loader as the context class loader, which every thread it starts inherits.
 * <p>
 * A service's environment (what the launcher would give its process) becomes a property source of its own, ahead
 * of the JVM's environment, through a {@link SpringApplication} hook on its thread. Logging is the host's:
 * {@link ServiceLogs} writes each service's lines to its own file, and each service's {@code logging.level} settings
 * apply to the loggers they name.
 * <p>
 * The plan comes on standard input as properties, so that the secrets in it are never written to a file:
 * {@code logs} (the directory of the log files), {@code services} (names, comma-separated), and per service
 * {@code service.<name>.classes} (a directory), {@code .libraries} (jar file names, comma-separated),
 * {@code .main-class} and {@code .env.<VARIABLE>}. A service that fails to start stops the
 * host with status 1, as its own process would have exited.
 */
public final class ServiceHost {

    private ServiceHost() {
    }

    public static void main(String[] args) throws IOException {
        Properties plan = new Properties();
        try (InputStream in = System.in) {
            plan.load(in);
        }
        List<HostedService> services = new ArrayList<>();
        for (String name : plan.getProperty("services", "").split(",")) {
            if (!name.isBlank()) {
                services.add(HostedService.fromPlan(name.strip(), plan));
            }
        }
        // Spring Boot would configure logback anew for every service, each time for the whole JVM
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        Map<ClassLoader, String> loaders = new LinkedHashMap<>();
        for (HostedService service : services) {
            loaders.put(service.classLoader(), service.name());
        }
        ServiceLogs logs = ServiceLogs.install(Path.of(plan.getProperty("logs")), loaders);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        for (HostedService service : services) {
            Thread.ofPlatform().name(service.name() + "-main").inheritInheritableThreadLocals(false)
                    .start(() -> run(service, logs));
        }
    }

    private static void run(HostedService service, ServiceLogs logs) {
        Thread.currentThread().setContextClassLoader(service.classLoader());
        try {
            Class<?> application = Class.forName(service.mainClass(), true, service.classLoader());
            Method main = application.getMethod("main", String[].class);
            SpringApplication.withHook(new ServiceEnvironmentHook(service, logs), () -> {
                try {
                    main.invoke(null, (Object) new String[0]);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(service.name() + " failed to start", e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(service.name() + " could not be started", e);
                }
            });
        } catch (Throwable failure) {
            logs.failed(service.name(), failure);
            System.exit(1);
        }
    }

    /** A service as the host runs it: its name, environment, class loader and main class. */
    record HostedService(String name, Map<String, Object> environment, ServiceClassLoader classLoader,
                         String mainClass) {

        static HostedService fromPlan(String name, Properties plan) throws IOException {
            String prefix = "service." + name + ".env.";
            Map<String, Object> environment = new LinkedHashMap<>();
            for (String key : plan.stringPropertyNames()) {
                if (key.startsWith(prefix)) {
                    environment.put(key.substring(prefix.length()), plan.getProperty(key));
                }
            }
            Set<String> libraries = new LinkedHashSet<>();
            for (String library : plan.getProperty("service." + name + ".libraries", "").split(",")) {
                if (!library.isBlank()) {
                    libraries.add(library.strip());
                }
            }
            URL classes = Path.of(required(plan, "service." + name + ".classes")).toUri().toURL();
            ServiceClassLoader loader = new ServiceClassLoader(name, classes, libraries,
                    ServiceHost.class.getClassLoader());
            return new HostedService(name, environment, loader, required(plan, "service." + name + ".main-class"));
        }

        private static String required(Properties plan, String key) {
            String value = plan.getProperty(key);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the plan names no " + key);
            }
            return value;
        }
    }
}
