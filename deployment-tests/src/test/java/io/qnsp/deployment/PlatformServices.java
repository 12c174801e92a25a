package io.qnsp.deployment;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform as the embedded launcher knows it (platform-launcher's {@code platform.properties}): its services with
 * their ports, secrets and environment, and the secrets every service may receive; completed by each service's
 * {@code application.yml} (its database schema, and which shared secrets it reads).
 */
record PlatformServices(List<Service> services, Map<String, String> sharedSecrets) {

    static final Path PROPERTIES = Path.of("platform-launcher/src/main/resources/platform.properties");
    /** What the launcher gives every service besides the entries of platform.properties. */
    static final List<String> INFRASTRUCTURE = List.of("QNSP_DB_URL", "QNSP_DB_USER", "QNSP_DB_PASSWORD",
            "QNSP_REDIS_URL", "PORT");
    private static final Pattern LOCAL_URL = Pattern.compile("http://localhost:(\\d+)");
    /** A further port a service listens on, set in its environment (e.g. a decision server's). */
    private static final Pattern PORT_VARIABLE = Pattern.compile("QNSP_\\w+_PORT");

    /**
     * One service: its name, port, own secrets (name → kind), environment (name → the launcher's value), its database
     * schema if it has a datasource, and the shared secrets its configuration reads.
     */
    record Service(String name, int port, Map<String, String> secrets, Map<String, String> environment,
                   Optional<String> schema, List<String> sharedSecretsUsed) {

        /** Every variable the service must receive wherever it runs. */
        List<String> requiredVariables() {
            List<String> names = new ArrayList<>(environment.keySet());
            names.addAll(secrets.keySet());
            names.addAll(sharedSecretsUsed);
            names.add("PORT");
            names.add("QNSP_REDIS_URL");
            if (schema.isPresent()) {
                names.addAll(List.of("QNSP_DB_URL", "QNSP_DB_USER", "QNSP_DB_PASSWORD"));
            }
            return names;
        }

        /** The secret variables the service receives: its own and the shared ones it reads. */
        List<String> secretVariables() {
            List<String> names = new ArrayList<>(secrets.keySet());
            names.addAll(sharedSecretsUsed);
            return names;
        }

        /** Its port and the further ports its environment gives it ({@code QNSP_…_PORT}). */
        List<Integer> ports() {
            List<Integer> ports = new ArrayList<>(List.of(port));
            environment.forEach((name, value) -> {
                if (PORT_VARIABLE.matcher(name).matches() && value.matches("\\d+")) {
                    ports.add(Integer.parseInt(value));
                }
            });
            return ports;
        }

        /** The variable holding its database role's password in .env and in Secret qnsp-secrets. */
        Optional<String> databasePasswordVariable() {
            return schema.map(s -> "QNSP_DB_PASSWORD_" + s.toUpperCase().replace('-', '_'));
        }
    }

    static PlatformServices load() {
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(Repository.root().resolve(PROPERTIES))) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> shared = new LinkedHashMap<>();
        config.stringPropertyNames().stream().filter(name -> name.startsWith("secret.")).sorted()
                .forEach(name -> shared.put(name.substring("secret.".length()), config.getProperty(name)));
        List<Service> services = new ArrayList<>();
        for (String name : config.getProperty("services", "").split(",")) {
            name = name.strip();
            if (name.isEmpty()) {
                continue;
            }
            Map<String, String> secrets = new LinkedHashMap<>();
            for (String entry : config.getProperty("service." + name + ".secrets", "").split(",")) {
                if (!entry.isBlank()) {
                    String[] parts = entry.strip().split(":", 2);
                    secrets.put(parts[0], parts.length > 1 ? parts[1] : "token");
                }
            }
            Map<String, String> environment = new LinkedHashMap<>();
            for (String entry : config.getProperty("service." + name + ".env", "").split(",")) {
                if (!entry.isBlank()) {
                    String[] parts = entry.strip().split("=", 2);
                    environment.put(parts[0], parts.length > 1 ? parts[1] : "");
                }
            }
            Path applicationYml = Repository.root().resolve(name).resolve("src/main/resources/application.yml");
            String text = Files.exists(applicationYml) ? Repository.read(applicationYml) : "";
            Optional<String> schema = Optional.empty();
            if (!text.isEmpty()) {
                JsonNode schemas = Repository.yaml(applicationYml).at("/spring/flyway/schemas");
                if (schemas.isString()) {
                    schema = Optional.of(schemas.stringValue().split(",")[0].strip());
                }
            }
            List<String> sharedUsed = shared.keySet().stream().filter(s -> text.contains("${" + s)).toList();
            services.add(new Service(name, Integer.parseInt(config.getProperty("service." + name + ".port")),
                    secrets, environment, schema, sharedUsed));
        }
        return new PlatformServices(List.copyOf(services), shared);
    }

    List<String> names() {
        return services.stream().map(Service::name).toList();
    }

    Service byName(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no service " + name));
    }

    Service byPort(int port) {
        return services.stream().filter(s -> s.ports().contains(port)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no service on port " + port));
    }

    /** The services whose URLs appear in a service's environment (the ones it calls). */
    List<String> callees(Service service) {
        List<String> callees = new ArrayList<>();
        for (String value : service.environment().values()) {
            Matcher m = LOCAL_URL.matcher(value);
            while (m.find()) {
                String callee = byPort(Integer.parseInt(m.group(1))).name();
                if (!callee.equals(service.name()) && !callees.contains(callee)) {
                    callees.add(callee);
                }
            }
        }
        return callees;
    }

    /** Every secret variable: shared, per service, and one database password per service with a schema. */
    List<String> allSecretVariables() {
        List<String> names = new ArrayList<>(sharedSecrets.keySet());
        for (Service service : services) {
            names.addAll(service.secrets().keySet());
            service.databasePasswordVariable().ifPresent(names::add);
        }
        return names;
    }

    static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
