package io.qnsp.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: tenants never reach each other's resources. Two tenants, A and B, each with a client holding every scope
 * the services' documents name (and the add-ons their endpoints need), and B with an API key besides. A creates one
 * of every resource type a tenant owns, in every service. Then, from the OpenAPI documents the gateway serves, every
 * operation whose path carries an id is called with B's credentials on A's resource; each must answer 404 in its API
 * family's error format, so that B learns nothing, not even that the resource exists. Afterwards A reads its
 * resources back unchanged, and none of B's lists carries an id of A.
 * <p>
 * Every operation with a path parameter is accounted for: exercised, or excluded here with the reason. An endpoint
 * added later without a place in this drill fails it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(IsolationDrillIntegrationTests.TheExtensionContext.class)
@Order(DrillPlatform.ISOLATION)
class IsolationDrillIntegrationTests {

    private static final JsonMapper JSON = GatewayCalls.JSON;
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[^}]+}");
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final List<String> ADD_ONS = List.of("byohsm", "key-escrow");
    /** The scopes an API key may hold (auth-api-keys.md), all but {@code admin}. */
    private static final Set<String> API_KEY_SCOPES = Set.of("read:keys", "write:keys", "read:requests",
            "write:requests", "read:webhooks", "write:webhooks");

    /**
     * Operations not exercised, by the path up to a parameter (every operation under it) or by
     * {@code "METHOD path"}, each with the reason.
     */
    private static final Map<String, String> EXCLUDED = Map.of(
            "/auth/admin/tenants/{tenantId}", "the operator's administration of tenants (admin role): a tenant's "
                    + "token is refused with 403 whatever the id",
            "/v1/api-keys/{key}", "the rate-limit service's key administration, authenticated by the operator's "
                    + "X-Admin-Token only",
            "/audit/v1/retention/policies/{policyId}", "retention policies are the operator's (created with the admin "
                    + "role only); a tenant owns none",
            "/kms/v1/byohsm/connections/{connectionId}", "a connection needs a PKCS#11 library the operator allows "
                    + "(qnsp.kms.hsm-libraries); the drill platform allows none, so no tenant can register one",
            "/vault/v1/dynamic-secrets/configs/{configId}", "a config is stored only once the vault has connected to "
                    + "the tenant's own database with its administrative account; the drill platform gives tenants none",
            "/vault/v1/dynamic-secrets/leases/{leaseId}", "leases come from a dynamic-secrets config (above)",
            "PUT /storage/v1/buckets/{bucket}", "bucket names are the tenant's own: B's PUT creates B's bucket of "
                    + "that name (checked in bucketAndSecretNamesAreEachTenantsOwn)");

    /**
     * Path parameters that name something inside the caller's tenant rather than identify a resource: the answer
     * is about the caller's own tenant and must carry nothing of A's.
     */
    private static final Map<String, String> NAMES_IN_THE_CALLERS_TENANT = Map.of(
            "/access/v1/jit/grants/user/{userId}", "a principal of the caller's tenant; lists that tenant's grants",
            "/auth/risk/users/{userId}", "a user of the caller's tenant; lists that tenant's risk signals");

    /** B's request bodies where the operation refuses an empty one, valid so that only ownership can refuse them. */
    private static final Map<String, String> BODIES = Map.ofEntries(
            Map.entry("POST /access/v1/jit/requests/{requestId}/process", "{\"decision\":\"deny\",\"reason\":\"b\"}"),
            Map.entry("PUT /access/v1/policies/{policyId}", "{\"name\":\"b\",\"effect\":\"deny\",\"principals\":"
                    + "[\"group:b\"],\"resources\":[\"doc:b\"],\"actions\":[\"read\"]}"),
            Map.entry("POST /ai/v1/registry/models/{id}/deprecate", "{\"reason\":\"b\"}"),
            Map.entry("PUT /auth/risk/policies/{policyId}", "{\"name\":\"b\",\"conditions\":{\"riskScoreThreshold\":10}}"),
            Map.entry("POST /crypto/v1/hardware/{hardwareId}/health", "{\"status\":\"failed\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/decapsulate", "{\"encapsulation\":\"" + base64(1088) + "\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/encrypt", "{\"plaintext\":\"" + base64(5) + "\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/sign", "{\"message\":\"" + base64(5) + "\"}"),
            Map.entry("POST /kms/v1/keys/{keyId}/verify", "{\"message\":\"" + base64(5) + "\",\"signature\":\""
                    + base64(3309) + "\"}"),
            Map.entry("POST /api/v1/storage/kpi/kpis/{kpi}/contracts", "{\"basedOn\":\"v1\"}"),
            Map.entry("POST /search/v1/query/{queryId}/clicks", "{\"documentId\":\"" + UUID.randomUUID() + "\"}"),
            Map.entry("POST /tenant/v1/onboarding/workflows/{workflowId}/action", "{\"action\":\"cancel\"}"),
            Map.entry("PATCH /vault/v1/leakage-detection/incidents/{incidentId}", "{\"status\":\"resolved\"}"),
            Map.entry("POST /vault/v1/versioned-secrets/{secretId}/compare", "{\"version1\":1,\"version2\":2}"),
            Map.entry("POST /vault/v1/versioned-secrets/{secretId}/rollback", "{\"targetVersion\":1}"),
            Map.entry("PATCH /vault/v1/versioned-secrets/{secretId}/versions/{version}/state",
                    "{\"state\":\"destroyed\"}"));

    /** A's resources read back after B's attempts, which must have left them as they were. */
    private static final List<String> READ_BACK = List.of(
            "/access/v1/policies/{policyId}", "/ai/v1/bias/evaluations/{id}", "/api/v1/keys/{id}", "/api/v1/webhooks/{id}",
            "/audit/v1/streaming/subscriptions/{subscriptionId}", "/auth/risk/policies/{policyId}",
            "/billing/v1/accounts/{tenantId}", "/crypto/v1/hardware/summary", "/kms/v1/keys/{keyId}", "/kms/v1/crypto-agility/migration-plans/{planId}",
            "/kms/v1/escrow/policies/{policyId}", "/kms/v1/escrow/recovery/{requestId}",
            "/search/v1/health/maintenance/{windowId}", "/storage/v1/buckets/{bucket}",
            "/storage/v1/buckets/{bucket}/objects/{key}", "/storage/v1/retention/holds/{holdId}",
            "/tenant/v1/onboarding/workflows/{workflowId}", "/vault/v1/leakage-detection/incidents/{incidentId}",
            "/vault/v1/leakage-detection/policies/{policyId}", "/vault/v1/versioned-secrets/{secretId}/history",
            "/vault/v1/versioned-secrets/{secretId}/versions/{version}");

    /**
     * A's resources that have no read of their own, read back as the item carrying the id in a list of A's
     * (the list's path, the key of the id in {@link #resourcesOfA}).
     */
    private static final Map<String, String> READ_BACK_IN_LISTS = Map.of(
            "/kms/v1/analytics/alert-rules", "/kms/v1/analytics/alert-rules/{ruleId}",
            "/kms/v1/analytics/alerts", "/kms/v1/analytics/alerts/{alertId}",
            "/access/v1/jit/requests", "/access/v1/jit/requests/{requestId}");

    /** Fields that differ between two reads of the same resource. */
    private static final Set<String> PER_ANSWER = Set.of("requestId", "timestamp", "meta");

    /** An operation of a service's document. */
    record Operation(String service, String method, String path, JsonNode definition) {

        String name() {
            return method.toUpperCase() + " " + path;
        }

        /** The prefixes of the path that end in each of its parameters, e.g. {@code /kms/v1/keys/{keyId}}. */
        List<String> parameterPrefixes() {
            List<String> prefixes = new ArrayList<>();
            Matcher parameter = PATH_PARAMETER.matcher(path);
            while (parameter.find()) {
                prefixes.add(path.substring(0, parameter.end()));
            }
            return prefixes;
        }

        /** The schema of the error body its 404 is declared with ({@code QnspError}, {@code DataHubError}, …). */
        String notFoundSchema() {
            String reference = definition.at("/responses/404/content").values().stream().findFirst()
                    .map(content -> content.at("/schema/$ref").asString("")).orElse("");
            return reference.substring(reference.lastIndexOf('/') + 1);
        }

        boolean takesJson() {
            return definition.at("/requestBody/content").has("application/json");
        }

        boolean takesBytes() {
            return definition.has("requestBody") && !takesJson();
        }

        Set<String> scopes() {
            Set<String> scopes = new TreeSet<>();
            definition.path("x-required-scopes").forEach(scope -> scopes.add(scope.asString()));
            return scopes;
        }

        boolean acceptsApiKey() {
            return definition.path("security").values().stream().anyMatch(requirement -> requirement.has("apiKey"));
        }

        boolean streams() {
            return definition.at("/responses/200/content").has("text/event-stream");
        }
    }

    private GatewayCalls calls;
    private List<Operation> operations;
    private GatewayCalls.TenantClient tenantA;
    private GatewayCalls.TenantClient tenantB;
    private String apiKeyOfB;
    /** A's resources: the id for each path prefix ending in a parameter, e.g. {@code /kms/v1/keys/{keyId}}. */
    private final Map<String, String> resourcesOfA = new LinkedHashMap<>();
    private final Map<String, String> namesOfA = new LinkedHashMap<>();
    private final Map<Integer, Integer> statusesOfB = new TreeMap<>();
    private int requestsOfB;

    @BeforeAll
    void twoTenantsAndEveryResourceOfA(ExtensionContext context) throws Exception {
        RunningPlatform platform = DrillPlatform.running(context);
        calls = new GatewayCalls(platform);
        String operator = "Bearer " + calls.operatorToken();
        operations = documentedOperations();
        String[] scopes = operations.stream().flatMap(operation -> operation.scopes().stream()).distinct().sorted()
                .toArray(String[]::new);
        assertThat(scopes).as("scopes the documents name").contains("kms:write", "vault:use", "storage:write");
        tenantA = calls.tenantClient(operator, "isolation-a", ADD_ONS, scopes);
        tenantB = calls.tenantClient(operator, "isolation-b", ADD_ONS, scopes);
        HttpResponse<String> key = calls.send(calls.post("/api/v1/keys", "{\"name\":\"isolation b\",\"scopes\":"
                + JSON.writeValueAsString(API_KEY_SCOPES) + "}"), tenantB.bearer());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        apiKeyOfB = JSON.readTree(key.body()).at("/data/apiKey").asString();
        createEveryResourceOfA();
    }

    @Test
    @Order(2)
    void everyOperationOnAnotherTenantsResourceAnswers404() throws Exception {
        List<Operation> withIds = operations.stream().filter(operation -> operation.path().contains("{"))
                .sorted(Comparator.comparingInt((Operation operation) -> METHODS.indexOf(operation.method()))
                        .thenComparing(Operation::path))
                .toList();
        List<String> unclassified = new ArrayList<>();
        List<Operation> exercised = new ArrayList<>();
        List<Operation> names = new ArrayList<>();
        int excluded = 0;
        for (Operation operation : withIds) {
            if (exclusion(operation).isPresent()) {
                excluded++;
            } else if (operation.parameterPrefixes().stream().anyMatch(NAMES_IN_THE_CALLERS_TENANT::containsKey)) {
                names.add(operation);
            } else if (resourcesOfA.keySet().containsAll(operation.parameterPrefixes())) {
                exercised.add(operation);
            } else {
                unclassified.add(operation.service() + ": " + operation.name());
            }
        }
        assertThat(unclassified).as("operations with a path id that this drill neither exercises nor excludes "
                + "with a reason (create the resource in createEveryResourceOfA, or add to EXCLUDED)").isEmpty();

        Map<String, String> before = readBackOfA();
        List<String> offenders = new ArrayList<>();
        int notFound = 0;
        for (Operation operation : exercised) {
            for (Credentials credentials : credentialsOfB(operation)) {
                HttpResponse<String> answer = sendAsB(operation, resourcesOfA, credentials);
                Optional<String> problem = notFoundProblem(operation.notFoundSchema(), answer);
                if (problem.isPresent()) {
                    offenders.add(operation.service() + ": " + operation.name() + " with " + credentials + " -> "
                            + answer.statusCode() + " " + problem.get() + ": " + answer.body());
                } else {
                    notFound++;
                }
            }
        }
        Set<String> idsOfA = idsOfA();
        for (Operation operation : names) {
            HttpResponse<String> answer = sendAsB(operation, namesOfA, Credentials.BEARER);
            if (answer.statusCode() / 100 != 2 && answer.statusCode() != 404
                    || idsOfA.stream().anyMatch(answer.body()::contains)) {
                offenders.add(operation.service() + ": " + operation.name() + " -> " + answer.statusCode() + " "
                        + answer.body());
            }
        }
        Map<String, String> after = readBackOfA();

        System.out.printf("drill isolation: %d operations with a path id: %d exercised, %d naming within the "
                        + "caller's tenant, %d excluded; %d requests as tenant B, %d answered 404 as required, "
                        + "answers by status %s%n", withIds.size(), exercised.size(), names.size(), excluded,
                requestsOfB, notFound, statusesOfB);
        assertThat(offenders).as("answers to tenant B on tenant A's resources that are not a 404 in the API "
                + "family's error format").isEmpty();
        assertThat(after).as("A's resources after B's attempts").isEqualTo(before);
        assertThat(exercised).as("operations exercised").hasSizeGreaterThan(80);
        assertThat(notFound).isGreaterThanOrEqualTo(exercised.size());
    }

    /** Before B's attempts on A's ids, which B's own request logs and audit trail then hold. */
    @Test
    @Order(1)
    void noListOfAnotherTenantCarriesAnIdOfA() throws Exception {
        Set<String> idsOfA = idsOfA();
        List<String> offenders = new ArrayList<>();
        int lists = 0;
        for (Operation operation : operations) {
            if (!operation.method().equals("get") || operation.path().contains("{") || operation.streams()
                    || operation.path().contains("api-docs") || operation.scopes().isEmpty()) {
                continue;
            }
            lists++;
            HttpResponse<String> answer = sendAsB(operation, Map.of(), Credentials.BEARER);
            List<String> carried = idsOfA.stream().filter(answer.body()::contains).toList();
            if (!carried.isEmpty() || answer.statusCode() >= 500) {
                offenders.add(operation.service() + ": " + operation.name() + " -> " + answer.statusCode()
                        + " carries " + carried + ": " + answer.body());
            }
        }
        System.out.printf("drill isolation: %d lists read as tenant B, none may carry any of A's %d ids%n", lists,
                idsOfA.size());
        assertThat(offenders).as("B's lists that carry A's ids").isEmpty();
        assertThat(lists).as("lists read").isGreaterThan(40);
    }

    @Test
    @Order(3)
    void bucketAndSecretNamesAreEachTenantsOwn() throws Exception {
        String bucket = resourcesOfA.get("/storage/v1/buckets/{bucket}");
        HttpResponse<String> created = calls.send(HttpRequest.newBuilder(calls.uri("/storage/v1/buckets/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()), tenantB.bearer());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> objects = calls.send(calls.get("/storage/v1/buckets/" + bucket + "/objects"),
                tenantB.bearer());
        assertThat(objects.statusCode()).as(objects.body()).isEqualTo(200);
        assertThat(JSON.readTree(objects.body()).get("objects").size()).as("objects in B's bucket").isZero();

        String secret = resourcesOfA.get("/vault/v1/versioned-secrets/{secretId}");
        HttpResponse<String> written = calls.send(calls.post("/vault/v1/versioned-secrets",
                "{\"secretId\":\"" + secret + "\",\"value\":\"b's value\"}"), tenantB.bearer());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        assertThat(JSON.readTree(written.body()).get("version").asInt()).as("B's first version").isEqualTo(1);

        HttpResponse<String> objectOfA = calls.send(calls.get("/storage/v1/buckets/" + bucket + "/objects/doc.txt"),
                tenantA.bearer());
        assertThat(objectOfA.body()).isEqualTo("a's document");
        HttpResponse<String> valueOfA = calls.send(calls.get("/vault/v1/versioned-secrets/" + secret + "/versions/2"),
                tenantA.bearer());
        assertThat(JSON.readTree(valueOfA.body()).get("value").asString()).isEqualTo("a's value 2");
    }

    /** How B authenticates: its client's token, or its API key where the operation takes one. */
    private enum Credentials {
        BEARER, API_KEY
    }

    private List<Credentials> credentialsOfB(Operation operation) {
        return operation.acceptsApiKey() && !operation.scopes().isEmpty()
                && API_KEY_SCOPES.containsAll(operation.scopes())
                ? List.of(Credentials.BEARER, Credentials.API_KEY) : List.of(Credentials.BEARER);
    }

    private static Optional<String> exclusion(Operation operation) {
        return Optional.ofNullable(EXCLUDED.get(operation.name())).or(() -> operation.parameterPrefixes().stream()
                .map(EXCLUDED::get).filter(reason -> reason != null).findFirst());
    }

    private HttpResponse<String> sendAsB(Operation operation, Map<String, String> values, Credentials credentials)
            throws Exception {
        String path = concrete(operation.path(), values);
        HttpRequest.Builder request = calls.get(path);
        if (operation.takesBytes()) {
            request = HttpRequest.newBuilder(calls.uri(path)).header("Content-Type", "application/octet-stream")
                    .method(operation.method().toUpperCase(), HttpRequest.BodyPublishers.ofString("b's bytes"));
        } else if (!operation.method().equals("get")) {
            String body = BODIES.getOrDefault(operation.name(), "{}");
            request = operation.takesJson() || !operation.method().equals("delete")
                    ? HttpRequest.newBuilder(calls.uri(path)).header("Content-Type", "application/json")
                    .method(operation.method().toUpperCase(), HttpRequest.BodyPublishers.ofString(body))
                    : calls.delete(path);
        }
        request = credentials == Credentials.API_KEY ? request.header("X-API-Key", apiKeyOfB)
                : request.header("Authorization", tenantB.bearer());
        HttpResponse<String> answer = calls.send(request);
        requestsOfB++;
        statusesOfB.merge(answer.statusCode(), 1, Integer::sum);
        return answer;
    }

    /** The path with each parameter replaced by the value for the prefix that ends in it. */
    private static String concrete(String path, Map<String, String> values) {
        StringBuilder concrete = new StringBuilder();
        Matcher parameter = PATH_PARAMETER.matcher(path);
        int end = 0;
        while (parameter.find()) {
            String value = values.get(path.substring(0, parameter.end()));
            concrete.append(path, end, parameter.start()).append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            end = parameter.end();
        }
        return concrete.append(path.substring(end)).toString();
    }

    /** Why the answer is not a 404 in the error format of its API family, if it is not. */
    private static Optional<String> notFoundProblem(String schema, HttpResponse<String> answer) {
        if (answer.statusCode() != 404) {
            return Optional.of("not a 404");
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            return Optional.of("not JSON");
        }
        boolean inFormat = switch (schema) {
            case "QnspError" -> body.path("statusCode").asInt() == 404 && body.path("error").isString()
                    && body.path("message").isString() && body.path("requestId").isString();
            case "DataHubError" -> !body.path("success").asBoolean(true)
                    && body.at("/error/code").asString("").equals("NOT_FOUND") && body.at("/meta/requestId").isString();
            case "KpiError", "RateLimitError" -> body.path("error").asString("").equals("not_found")
                    && body.path("requestId").isString();
            default -> false;
        };
        return inFormat ? Optional.empty() : Optional.of("not in the " + schema + " format");
    }

    /** A's resources as A reads them, with what differs between two reads of the same thing left out. */
    private Map<String, String> readBackOfA() throws Exception {
        Map<String, String> read = new TreeMap<>();
        for (String path : READ_BACK) {
            HttpResponse<String> answer = calls.send(calls.get(concrete(path, resourcesOfA)), tenantA.bearer());
            read.put(path, answer.statusCode() + " " + withoutPerAnswerFields(answer.body()));
        }
        for (Map.Entry<String, String> list : READ_BACK_IN_LISTS.entrySet()) {
            String id = resourcesOfA.get(list.getValue());
            HttpResponse<String> answer = calls.send(calls.get(list.getKey()), tenantA.bearer());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            read.put(list.getKey() + " item " + id, itemWithId(JSON.readTree(answer.body()), id)
                    .map(JsonNode::toString).orElse("absent"));
        }
        return read;
    }

    private static String withoutPerAnswerFields(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json instanceof ObjectNode object) {
                PER_ANSWER.forEach(object::remove);
            }
            return json.toString();
        } catch (RuntimeException notJson) {
            return body;
        }
    }

    private static Optional<JsonNode> itemWithId(JsonNode json, String id) {
        if (json.isObject() && json.values().stream().anyMatch(value -> value.isString() && value.asString().equals(id))) {
            return Optional.of(json);
        }
        return json.values().stream().map(value -> itemWithId(value, id)).flatMap(Optional::stream).findFirst();
    }

    /** A's ids and names, long enough to be A's alone, and A's tenant and principal. */
    private Set<String> idsOfA() {
        Set<String> ids = new LinkedHashSet<>();
        resourcesOfA.values().stream().filter(id -> id.length() >= 8).forEach(ids::add);
        namesOfA.values().stream().filter(id -> id.length() >= 8).forEach(ids::add);
        ids.add(tenantA.tenantId());
        ids.add(tenantA.clientId());
        return ids;
    }

    private List<Operation> documentedOperations() throws Exception {
        HttpResponse<String> configuration = calls.send(calls.get("/v3/api-docs/swagger-config"));
        assertThat(configuration.statusCode()).isEqualTo(200);
        List<Operation> found = new ArrayList<>();
        for (JsonNode url : JSON.readTree(configuration.body()).get("urls")) {
            HttpResponse<String> document = calls.send(calls.get(url.get("url").asString()));
            assertThat(document.statusCode()).as(url.toString()).isEqualTo(200);
            JsonNode paths = JSON.readTree(document.body()).get("paths");
            for (String path : paths.propertyNames()) {
                for (String method : METHODS) {
                    if (paths.get(path).has(method)) {
                        found.add(new Operation(url.get("name").asString(), method, path, paths.get(path).get(method)));
                    }
                }
            }
        }
        assertThat(found).as("documented operations").hasSizeGreaterThan(200);
        return found;
    }

    /** One of every resource type a tenant owns, created by A; each id under the path prefix that takes it. */
    private void createEveryResourceOfA() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String rsa = Base64.getEncoder().encodeToString(java.security.KeyPairGenerator.getInstance("RSA")
                .generateKeyPair().getPublic().getEncoded());

        add("/api/v1/keys/{id}", createdByA("POST", "/api/v1/keys", "{\"name\":\"isolation a\",\"scopes\":[\"read:keys\"]}", "/data/id"));
        String key = createdByA("POST", "/kms/v1/keys", "{\"name\":\"isolation " + suffix + "\",\"algorithm\":\"AES-256-GCM\"}", "/keyId");
        add("/kms/v1/keys/{keyId}", key);
        add("/kms/v1/analytics/keys/{keyId}", key);
        String signing = createdByA("POST", "/kms/v1/keys", "{\"name\":\"isolation signing " + suffix + "\",\"algorithm\":\"ML-DSA-65\"}", "/keyId");
        String encryption = createdByA("POST", "/kms/v1/keys/" + key + "/encrypt", "{\"plaintext\":\"" + base64(5) + "\"}", "/ciphertext");
        add("/kms/v1/analytics/alert-rules/{ruleId}", createdByA("POST", "/kms/v1/analytics/alert-rules", "{\"name\":\"isolation\","
                + "\"severity\":\"high\",\"enabled\":true,\"condition\":{\"metric\":\"operation_count\",\"operator\":\"gt\",\"threshold\":0,\"window\":\"1h\"}}", "/ruleId"));
        add("/kms/v1/crypto-agility/migration-plans/{planId}", createdByA("POST", "/kms/v1/crypto-agility/migration-plans",
                "{\"name\":\"isolation\",\"targetAlgorithms\":{\"signing\":\"ML-DSA-65\"},\"scope\":{\"keyIds\":[\"" + signing + "\"]}}", "/planId"));
        String escrowPolicy = createdByA("POST", "/kms/v1/escrow/policies", "{\"name\":\"isolation\",\"recoveryThreshold\":2,\"escrowAgents\":["
                + "{\"agentId\":\"a1\",\"role\":\"primary\",\"publicKey\":\"" + rsa + "\"},"
                + "{\"agentId\":\"a2\",\"role\":\"secondary\",\"publicKey\":\"" + rsa + "\"}]}", "/policyId");
        add("/kms/v1/escrow/policies/{policyId}", escrowPolicy);
        String escrow = createdByA("POST", "/kms/v1/escrow/keys", "{\"keyId\":\"" + key + "\",\"policyId\":\"" + escrowPolicy + "\"}", "/escrowId");
        add("/kms/v1/escrow/recovery/{requestId}", createdByA("POST", "/kms/v1/escrow/recovery/initiate",
                "{\"escrowId\":\"" + escrow + "\",\"reason\":\"isolation drill\",\"urgency\":\"normal\"}", "/requestId"));

        String secret = "isolation-" + suffix;
        createdByA("POST", "/vault/v1/versioned-secrets", "{\"secretId\":\"" + secret + "\",\"value\":\"a's value 1\"}", "/secretId");
        createdByA("POST", "/vault/v1/versioned-secrets", "{\"secretId\":\"" + secret + "\",\"value\":\"a's value 2\"}", "/secretId");
        add("/vault/v1/versioned-secrets/{secretId}", secret);
        add("/vault/v1/versioned-secrets/{secretId}/versions/{version}", "1");
        add("/vault/v1/leakage-detection/secrets/{secretId}", secret);
        add("/vault/v1/leakage-detection/policies/{policyId}", createdByA("POST", "/vault/v1/leakage-detection/policies",
                "{\"name\":\"isolation\",\"enabled\":true,\"includeDefaultRules\":true}", "/policyId"));
        add("/vault/v1/leakage-detection/incidents/{incidentId}", createdByA("POST", "/vault/v1/leakage-detection/incidents",
                "{\"secretId\":\"" + secret + "\",\"severity\":\"high\",\"source\":\"git\",\"location\":\"repository\"}", "/incidentId"));
        add("/vault/v1/leakage-detection/scans/{scanId}", createdByA("POST", "/vault/v1/leakage-detection/scan",
                "{\"targets\":[\"github\"],\"scope\":{\"repositories\":[\"isolation/drill\"]}}", "/scanId"));

        add("/access/v1/policies/{policyId}", createdByA("POST", "/access/v1/policies", "{\"name\":\"isolation\",\"effect\":\"allow\","
                + "\"principals\":[\"group:isolation\"],\"resources\":[\"doc:1\"],\"actions\":[\"read\"]}", "/policyId"));
        createdByA("POST", "/access/v1/jit/policies", "{\"name\":\"isolation\",\"resourceTypes\":[\"database\"],\"maxDuration\":60,"
                + "\"requireApproval\":false}", "/policyId");
        JsonNode jit = createdByA("POST", "/access/v1/jit/requests", "{\"resourceType\":\"database\",\"resourceId\":\"db1\","
                + "\"permissions\":[\"read\"],\"duration\":30,\"justification\":\"isolation drill\"}");
        add("/access/v1/jit/requests/{requestId}", jit.get("requestId").asString());
        add("/access/v1/jit/grants/{grantId}", jit.get("grantId").asString());
        add("/access/v1/simulate/impact/{analysisId}", createdByA("POST", "/access/v1/simulate/impact", "{\"sampleSize\":10,"
                + "\"policyChange\":{\"type\":\"create\",\"newPolicy\":{\"name\":\"x\",\"effect\":\"allow\",\"principals\":[\"group:a\"],"
                + "\"resources\":[\"bucket:b1\"],\"actions\":[\"read\"],\"conditions\":{}}}}", "/analysisId"));

        String model = createdByA("POST", "/ai/v1/registry/models", "{\"name\":\"isolation\",\"provider\":\"openai\",\"type\":\"llm\",\"version\":\"1\"}", "/modelId");
        add("/ai/v1/registry/models/{id}", model);
        add("/ai/v1/bias/evaluations/{id}", createdByA("POST", "/ai/v1/bias/evaluations", "{\"evaluationType\":\"demographic_parity\","
                + "\"modelId\":\"" + model + "\",\"protectedAttributes\":[\"age\"],"
                + "\"testDataset\":{\"content\":\"age,label,prediction\\n30,1,1\\n60,0,1\\n\"}}", "/evaluationId"));

        add("/api/v1/webhooks/{id}", createdByA("POST", "/api/v1/webhooks", "{\"name\":\"isolation\",\"url\":\"https://93.184.216.34/hook\","
                + "\"events\":[\"key.created\"],\"active\":false}", "/data/id"));
        add("/audit/v1/streaming/subscriptions/{subscriptionId}", createdByA("POST", "/audit/v1/streaming/subscriptions",
                "{\"name\":\"isolation\",\"destination\":{\"type\":\"webhook\",\"config\":{\"url\":\"https://93.184.216.34/s\"}}}", "/subscriptionId"));
        add("/auth/federation/audit/reports/{reportId}", createdByA("POST", "/auth/federation/audit/reports",
                "{\"reportType\":\"activity\",\"startDate\":\"2026-01-01\",\"endDate\":\"2026-12-31\"}", "/reportId"));
        add("/auth/risk/policies/{policyId}", createdByA("POST", "/auth/risk/policies",
                "{\"name\":\"isolation\",\"conditions\":{\"riskScoreThreshold\":50}}", "/policyId"));
        String user = "user-" + suffix;
        namesOfA.put("/auth/risk/users/{userId}", user);
        namesOfA.put("risk signal", createdByA("POST", "/auth/risk/signals",
                "{\"userId\":\"" + user + "\",\"severity\":\"high\",\"signalType\":\"brute_force\"}", "/signalId"));

        add("/crypto/v1/hardware/{hardwareId}", createdByA("POST", "/crypto/v1/hardware", "{\"name\":\"isolation\",\"type\":\"hsm\","
                + "\"vendor\":\"thales\",\"model\":\"luna\",\"serialNumber\":\"sn-" + suffix + "\"}", "/hardwareId"));
        add("/search/v1/health/maintenance/{windowId}", createdByA("POST", "/search/v1/health/maintenance",
                "{\"maintenanceType\":\"optimize\",\"indexNames\":[\"secrets\"],\"scheduledAt\":\"" + Instant.now().plus(Duration.ofDays(30)) + "\",\"duration\":\"PT1H\"}", "/windowId"));
        add("/search/v1/query/{queryId}", createdByA("GET", "/search/v1/query?q=isolation", null, "/queryId"));
        String playbook = createdByA("POST", "/security/v1/playbooks", "{\"name\":\"isolation\",\"enabled\":true,"
                + "\"triggerConditions\":{\"eventTypes\":[\"isolation.none\"],\"severityThreshold\":\"low\"},"
                + "\"actions\":[{\"type\":\"notify\",\"requiresApproval\":true,\"parameters\":{\"url\":\"https://93.184.216.34/n\"}}]}", "/playbookId");
        add("/security/v1/playbooks/executions/{executionId}", createdByA("POST", "/security/v1/playbooks/execute",
                "{\"playbookId\":\"" + playbook + "\",\"dryRun\":false}", "/executionId"));

        String bucket = "isolation-" + suffix;
        HttpResponse<String> createdBucket = calls.send(HttpRequest.newBuilder(calls.uri("/storage/v1/buckets/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()), tenantA.bearer());
        assertThat(createdBucket.statusCode()).as(createdBucket.body()).isEqualTo(201);
        add("/storage/v1/buckets/{bucket}", bucket);
        HttpResponse<String> object = calls.send(HttpRequest.newBuilder(calls.uri("/storage/v1/buckets/" + bucket + "/objects/doc.txt"))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("a's document")), tenantA.bearer());
        assertThat(object.statusCode()).as(object.body()).isEqualTo(201);
        add("/storage/v1/buckets/{bucket}/objects/{key}", "doc.txt");
        createdByA("POST", "/storage/v1/classification/policies", "{\"name\":\"isolation\",\"rules\":[{\"classification\":\"confidential\","
                + "\"detector\":\"email\",\"dataTypes\":[\"pii\"]}]}", "/policyId");
        add("/storage/v1/classification/scans/{scanId}", createdByA("POST", "/storage/v1/classification/scans",
                "{\"scope\":{\"buckets\":[\"" + bucket + "\"]}}", "/scanId"));
        add("/storage/v1/retention/holds/{holdId}", createdByA("POST", "/storage/v1/retention/holds",
                "{\"name\":\"isolation\",\"reason\":\"litigation\",\"scope\":{\"buckets\":[\"" + bucket + "\"]}}", "/holdId"));

        add("/tenant/v1/isolation/audits/{auditId}", createdByA("POST", "/tenant/v1/isolation/audits", "{\"depth\":\"quick\"}", "/auditId"));
        add("/tenant/v1/onboarding/workflows/{workflowId}", createdByA("POST", "/tenant/v1/onboarding/workflows",
                "{\"templateId\":\"standard\",\"tenantId\":\"isolation-new-" + suffix + "\"}", "/workflowId"));
        String kpi = "isolation_" + suffix.replace('-', '_');
        createdByA("POST", "/api/v1/storage/kpi/kpis", "{\"kpi\":\"" + kpi + "\",\"aggregation\":\"sum\"}", "/kpi");
        add("/api/v1/storage/kpi/kpis/{kpi}", kpi);

        // the tenant id is the billing account's id
        for (String billing : List.of("accounts", "credits/balance", "dunning/schedule", "forecasting/capacity",
                "forecasting/usage", "invoices")) {
            add("/billing/v1/" + billing + "/{tenantId}", tenantA.tenantId());
        }
        JsonNode principal = createdByA("GET", "/access/v1/jit/requests", null);
        namesOfA.put("/access/v1/jit/grants/user/{userId}", principal.at("/requests/0/requesterId").asString());
        add("/api/v1/requests/{id}", createdByA("GET", "/api/v1/requests?limit=1", null, "/data/0/id"));
        add("/audit/v1/events/{eventId}", createdByA("GET", "/audit/v1/events?limit=1", null, "/events/0/eventId"));

        // produced by the platform on its own: an invoice once A's usage is metered, an alert once A's rule is evaluated
        add("/billing/v1/invoices/{tenantId}/{invoiceId}", await("an invoice of A").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).until(() -> createdByA("GET", "/billing/v1/invoices/" + tenantA.tenantId(),
                        null).at("/invoices/0/invoiceId").asString(""), id -> !id.isEmpty()));
        add("/kms/v1/analytics/alerts/{alertId}", await("an alert of A's rule").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).until(() -> createdByA("GET", "/kms/v1/analytics/alerts", null)
                        .at("/alerts/0/alertId").asString(""), id -> !id.isEmpty()));
        assertThat(encryption).isNotEmpty();
    }

    private void add(String prefix, String id) {
        assertThat(id).as(prefix).isNotBlank();
        resourcesOfA.put(prefix, id);
    }

    private String createdByA(String method, String path, String json, String idPointer) throws Exception {
        String id = createdByA(method, path, json).at(idPointer).asString("");
        assertThat(id).as("%s %s: %s", method, path, idPointer).isNotEmpty();
        return id;
    }

    private JsonNode createdByA(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = json == null ? calls.get(path) : HttpRequest.newBuilder(calls.uri(path))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> answer = calls.send(request, tenantA.bearer());
        assertThat(answer.statusCode()).as("%s %s: %s", method, path, answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    private static String base64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    /** Gives {@code @BeforeAll} the extension context that {@link DrillPlatform#running} keeps the platform in. */
    static final class TheExtensionContext implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ExtensionContext.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context;
        }
    }
}
