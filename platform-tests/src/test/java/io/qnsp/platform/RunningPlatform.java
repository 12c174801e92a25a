package io.qnsp.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The platform started exactly as {@code ./platform} starts it (the launcher jar, embedded PostgreSQL and Redis,
 * every service as its own process), on free ports and a home directory of its own, with what it printed.
 */
final class RunningPlatform implements AutoCloseable {

    private static final int LOWEST_PORT = 20_000;
    /** A webhook host audit-service resolves (from its own hosts file) to a documentation address (RFC 5737). */
    static final String PUBLIC_WEBHOOK_HOST = "hooks.example.com";
    private static final String PUBLIC_WEBHOOK_ADDRESS = "203.0.113.10";
    /** Ports handed out by this JVM, so that no two services get the same one. */
    private static final Set<Integer> CHOSEN = new HashSet<>();

    final Path home;
    final int gatewayPort;
    final int authPort;
    final int ratelimitPort;
    final int postgresPort;
    final int redisPort;
    private final Process process;
    private final List<String> output = new ArrayList<>();
    /** Servers a drill started again in place of the platform's own; stopped after the launcher has stopped. */
    private final List<Process> adopted = new ArrayList<>();

    private RunningPlatform(Path home, int gatewayPort, int authPort, int ratelimitPort, int postgresPort,
                            int redisPort, Process process) {
        this.home = home;
        this.gatewayPort = gatewayPort;
        this.authPort = authPort;
        this.ratelimitPort = ratelimitPort;
        this.postgresPort = postgresPort;
        this.redisPort = redisPort;
        this.process = process;
    }

    /**
     * How the platform runs: every service but the gateway in the shared JVM or each in its own, whether the
     * launcher starts a stopped service again, whether audit-service delivers webhooks to loopback and private
     * addresses (the black-box webhook receiver listens on loopback; production refuses them), and the requests a
     * minute one caller may send through the gateway (0: the gateway's default of 600).
     */
    record Options(boolean sharedJvm, boolean restartServices, boolean privateWebhookTargets,
                   int requestsPerMinutePerCaller) {

        /** As {@code ./platform} runs it, except that a stopped service stays stopped (a test stops one on purpose). */
        static final Options BLACK_BOX = new Options(true, false, true, 0);
        /** Every service its own process, started again when it stops, as compose and Kubernetes run them. */
        static final Options DRILLS = new Options(false, true);

        /**
         * A drill platform: webhooks to private targets refused as in production, and room for the hostile-input
         * drill's thousands of requests from one caller (and one address), so that its answers are the services'
         * own and not the gateway's 429.
         */
        Options(boolean sharedJvm, boolean restartServices) {
            this(sharedJvm, restartServices, false, 100_000);
        }

        private String gatewayLimits() {
            return requestsPerMinutePerCaller <= 0 ? ""
                    : ",QNSP_GATEWAY_RATELIMIT_TENANTDEFAULT_REQUESTSPERMINUTE=" + requestsPerMinutePerCaller
                    + ",QNSP_GATEWAY_PUBLIC_REQUESTS_PER_MINUTE=" + requestsPerMinutePerCaller
                    + ",QNSP_GATEWAY_PUBLIC_BURST=" + requestsPerMinutePerCaller;
        }
    }

    static RunningPlatform start(Duration timeout, Options options) throws IOException, InterruptedException {
        Path projectRoot = Path.of("..").toAbsolutePath().normalize();
        Path launcher;
        try (Stream<Path> files = Files.list(projectRoot.resolve("platform-launcher/target"))) {
            launcher = files.filter(f -> f.getFileName().toString().matches("platform-launcher-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build the launcher first"));
        }
        Path home = Files.createTempDirectory("qnsp-platform-test");
        int gateway = freePort();
        int auth = freePort();
        int ratelimit = freePort();
        int ratelimitDecision = freePort();
        int ratelimitEnvoy = freePort();
        int audit = freePort();
        int kms = freePort();
        int vault = freePort();
        int access = freePort();
        int kpi = freePort();
        int storage = freePort();
        int billing = freePort();
        int cryptoInventory = freePort();
        int search = freePort();
        int observability = freePort();
        int securityMonitoring = freePort();
        int tenant = freePort();
        int aiOrchestrator = freePort();
        String issuer = "http://localhost:" + auth;
        Path config = home.resolve("platform-test.properties");
        Files.writeString(config, String.join("\n",
                // ten services starting at once on a small, busy CI machine can take longer than a person waits
                "ready-timeout-seconds=" + timeout.toSeconds(),
                "restart-services=" + options.restartServices(),
                "service.auth-service.port=" + auth,
                "service.auth-service.env=QNSP_AUTH_ISSUER=" + issuer
                        + ",QNSP_AUTH_BOOTSTRAP_CREDENTIALS_FILE=${home}/auth-bootstrap-credentials.txt",
                "service.ratelimit-service.port=" + ratelimit,
                "service.ratelimit-service.env=" + trustAuth(issuer)
                        + ",QNSP_RATELIMIT_DECISION_PORT=" + ratelimitDecision
                        + ",QNSP_RATELIMIT_ENVOY_PORT=" + ratelimitEnvoy,
                "service.audit-service.port=" + audit,
                "service.audit-service.env=" + trustAuth(issuer) + ",QNSP_AUDIT_DELIVERIES_ALLOWPRIVATETARGETS="
                        + options.privateWebhookTargets()
                        // a webhook host that resolves without DNS, to a public address nothing answers on
                        + ",JAVA_TOOL_OPTIONS=-Djdk.net.hosts.file=${home}/hosts",
                "service.kms-service.port=" + kms,
                "service.kms-service.env=" + trustAuth(issuer),
                "service.access-service.port=" + access,
                "service.access-service.env=" + trustAuth(issuer),
                "service.storage-service.port=" + storage,
                "service.storage-service.env=" + trustAuth(issuer) + ",QNSP_AUTH_URL=http://localhost:" + auth
                        + ",QNSP_KMS_URL=http://localhost:" + kms + ",QNSP_STORAGE_VOLUME=${home}/storage/local"
                        + ",QNSP_STORAGE_REPLICA_REGIONS=eu-west-1=${home}/storage/eu-west-1",
                "service.kpi-service.port=" + kpi,
                "service.kpi-service.env=" + trustAuth(issuer),
                "service.billing-service.port=" + billing,
                "service.billing-service.env=" + trustAuth(issuer),
                "service.crypto-inventory-service.port=" + cryptoInventory,
                "service.crypto-inventory-service.env=" + trustAuth(issuer) + ",QNSP_AUTH_URL=http://localhost:" + auth
                        + ",QNSP_KMS_URL=http://localhost:" + kms,
                "service.search-service.port=" + search,
                "service.search-service.env=" + trustAuth(issuer),
                "service.security-monitoring-service.port=" + securityMonitoring,
                "service.security-monitoring-service.env=" + trustAuth(issuer) + ",QNSP_AUTH_URL=http://localhost:"
                        + auth + ",QNSP_KMS_URL=http://localhost:" + kms + ",QNSP_VAULT_URL=http://localhost:" + vault
                        + ",QNSP_AUDIT_URL=http://localhost:" + audit + ",QNSP_GATEWAY_URL=http://localhost:" + gateway,
                "service.observability-service.port=" + observability,
                "service.tenant-service.port=" + tenant,
                "service.tenant-service.env=" + trustAuth(issuer) + ",QNSP_AUTH_URL=http://localhost:" + auth,
                // rules are evaluated every 5 s (each time over the last complete minute), so a test waits at most a
                // minute and a few seconds for a burst to be judged
                "service.observability-service.env=" + trustAuth(issuer)
                        + ",QNSP_OBSERVABILITY_ANOMALY_EVALUATION_INTERVAL=5s",
                "service.ai-orchestrator-service.port=" + aiOrchestrator,
                "service.ai-orchestrator-service.env=" + trustAuth(issuer),
                "service.vault-service.port=" + vault,
                "service.vault-service.env=" + trustAuth(issuer) + ",QNSP_AUTH_URL=http://localhost:" + auth
                        + ",QNSP_KMS_URL=http://localhost:" + kms,
                "service.gateway-service.port=" + gateway,
                "service.gateway-service.env=QNSP_AUTH_URL=http://localhost:" + auth
                        + ",QNSP_RATELIMIT_URL=http://localhost:" + ratelimit
                        + ",QNSP_RATELIMIT_DECISION_URL=http://localhost:" + ratelimitDecision
                        + ",QNSP_AUDIT_URL=http://localhost:" + audit + ",QNSP_KMS_URL=http://localhost:" + kms
                        + ",QNSP_SECURITY_MONITORING_URL=http://localhost:" + securityMonitoring
                        + ",QNSP_VAULT_URL=http://localhost:" + vault + ",QNSP_ACCESS_URL=http://localhost:" + access
                        + ",QNSP_KPI_URL=http://localhost:" + kpi + ",QNSP_BILLING_URL=http://localhost:" + billing
                        + ",QNSP_STORAGE_URL=http://localhost:" + storage
                        + ",QNSP_TENANT_URL=http://localhost:" + tenant
                        + ",QNSP_CRYPTO_INVENTORY_URL=http://localhost:" + cryptoInventory
                        + ",QNSP_SEARCH_URL=http://localhost:" + search
                        + ",QNSP_OBSERVABILITY_URL=http://localhost:" + observability
                        + ",QNSP_AI_ORCHESTRATOR_URL=http://localhost:" + aiOrchestrator
                        + ",QNSP_AUTH_ISSUER=" + issuer + options.gatewayLimits(),
                ""));
        Files.writeString(home.resolve("hosts"), Files.readString(Path.of("/etc/hosts")) + "\n"
                + PUBLIC_WEBHOOK_ADDRESS + " " + PUBLIC_WEBHOOK_HOST + "\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(launcherOptions(projectRoot));
        // the PostgreSQL binaries are unpacked afresh, as on a machine that has never run the platform
        command.add("-Djava.io.tmpdir=" + Files.createDirectories(home.resolve("tmp")));
        command.addAll(List.of("-jar", launcher.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectRoot.toFile())
                .redirectErrorStream(true);
        builder.environment().put("QNSP_HOME", home.toString());
        builder.environment().put("QNSP_PROJECT_ROOT", projectRoot.toString());
        builder.environment().put("QNSP_PLATFORM_CONFIG", config.toString());
        int postgres = freePort();
        int redis = freePort();
        builder.environment().put("QNSP_DB_PORT", Integer.toString(postgres));
        builder.environment().put("QNSP_REDIS_PORT", Integer.toString(redis));
        // Every service inherits these. A Redis answer that a loaded machine delays past production's 500 ms must
        // not hand a decision to a failure mode; and the gateway keeps a verified key until its token is about to
        // expire (15 minutes, less a margin), so a key refused within a test's wait was refused because of the
        // change notice, never because the cache expired.
        builder.environment().put("QNSP_REDIS_COMMANDTIMEOUT", "5s");
        builder.environment().put("QNSP_GATEWAY_AUTH_KEYCACHE_MAXTTL", "1h");
        // a fresh home each time: an AOT cache would be trained, written at the stop and never used
        builder.environment().put("QNSP_AOT_CACHE", "off");
        builder.environment().put("QNSP_SHARED_JVM", options.sharedJvm() ? "on" : "off");
        builder.environment().remove("QNSP_DB_URL");
        builder.environment().remove("QNSP_REDIS_URL");
        RunningPlatform platform = new RunningPlatform(home, gateway, auth, ratelimit, postgres, redis,
                builder.start());
        platform.awaitReady(timeout);
        return platform;
    }

    /** The JVM options {@code ./platform} starts the launcher with (its last line), so the tests run it the same way. */
    private static List<String> launcherOptions(Path projectRoot) throws IOException {
        Matcher line = Pattern.compile("(?m)^exec \"\\$JAVA\" (.*) -jar \"\\$launcher\"")
                .matcher(Files.readString(projectRoot.resolve("platform")));
        if (!line.find()) {
            throw new IllegalStateException("./platform no longer starts the launcher with exec \"$JAVA\" … -jar");
        }
        return List.of(line.group(1).strip().split("\\s+"));
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Thread pump = Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        while (Instant.now().isBefore(deadline)) {
            if (printed().contains("Press Ctrl-C to stop.")) {
                return;
            }
            if (!process.isAlive()) {
                pump.join(1000);
                throw new IllegalStateException("the platform exited with " + process.exitValue() + ":\n" + printed());
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the platform was not up within " + timeout + ":\n" + printed());
    }

    String printed() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The first group of {@code pattern} in what the launcher printed. */
    String printedValue(String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(printed());
        if (!matcher.find()) {
            throw new IllegalStateException("not printed: " + pattern + "\n" + printed());
        }
        return matcher.group(1);
    }

    String serviceLog(String service) throws IOException {
        return Files.readString(home.resolve("logs").resolve(service + ".log"));
    }

    /**
     * Kills the process that runs {@code service}, as a crash would: its own process, or the shared JVM of the
     * embedded platform (module service-host) with every service in it. The rest of the platform keeps running.
     */
    void stopService(String service) throws InterruptedException {
        ProcessHandle target = processOf(service);
        target.destroyForcibly();
        target.onExit().join();
    }

    /** The process a service runs in: its own, or the shared JVM's. */
    ProcessHandle processOf(String service) {
        return process.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("/" + service + "/target/"))
                .findFirst()
                .or(() -> process.descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains("shared-jvm/service-host.jar"))
                        .findFirst())
                .orElseThrow(() -> new IllegalStateException("no process for " + service));
    }

    String gateway() {
        return "http://localhost:" + gatewayPort;
    }

    /** The launcher's process, whose descendants are the platform's processes. */
    ProcessHandle launcher() {
        return process.toHandle();
    }

    /** A server a drill started in place of the platform's own: it is stopped after the platform. */
    synchronized void adopt(Process server) {
        adopted.add(server);
    }

    /** The port a service listens on, as this platform's configuration gives it. */
    int servicePort(String service) throws IOException {
        Matcher port = Pattern.compile("(?m)^service\\." + Pattern.quote(service) + "\\.port=(\\d+)$")
                .matcher(Files.readString(home.resolve("platform-test.properties")));
        if (!port.find()) {
            throw new IllegalStateException("no port configured for " + service);
        }
        return Integer.parseInt(port.group(1));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        synchronized (this) {
            for (Process server : adopted) {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    private static String trustAuth(String issuer) {
        return "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI=" + issuer + "/oauth2/jwks,"
                + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI=" + issuer;
    }

    /**
     * A port nothing listens on now, below the kernel's ephemeral range. The services bind their ports only after
     * their JVMs have started, seconds later; a port from the ephemeral range (what {@code new ServerSocket(0)}
     * hands out) may meanwhile be handed to any other process that asks for a port of its own, while one below it is
     * only ever taken by a process asking for that very port.
     */
    private static synchronized int freePort() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 200 && below - LOWEST_PORT > 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, below);
            if (!CHOSEN.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port of {@code net.ipv4.ip_local_port_range} (Linux), or the range IANA suggests elsewhere. */
    private static int ephemeralRangeStart() {
        try {
            // readAllLines: Files.readString returns this /proc file truncated (seen on JDK 25)
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst()
                    .strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
